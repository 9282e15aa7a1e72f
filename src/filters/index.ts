import { attachmentLabel } from "../content/media.ts";
import { eventPeriod, isoDate, isoDateTime, jaDate, jaDateFromIso, jaDateTime } from "./dates.ts";

/** Every template filter, registered by the config in one loop. */
export const filters = { jaDate, jaDateFromIso, jaDateTime, eventPeriod, isoDate, isoDateTime, attachmentLabel } as const;
