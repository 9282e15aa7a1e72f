import path from "node:path";
import { fileURLToPath } from "node:url";
import { DateTime } from "luxon";
import { TIME_ZONE } from "./schema/fields.ts";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export type SiteMode = "production" | "development";

export interface SiteOptions {
  contentDir: string;
  dataDir: string;
  /** The build's "now": decides upcoming/past events. Fixed in tests for deterministic output. */
  now: DateTime;
  mode: SiteMode;
}

/** Reads the build options from the environment (set by scripts/build.ts, scripts/start.ts and tests). */
export function siteOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): SiteOptions {
  const now = env.SITE_NOW ? DateTime.fromISO(env.SITE_NOW, { zone: TIME_ZONE }) : DateTime.now().setZone(TIME_ZONE);
  if (!now.isValid) throw new Error(`SITE_NOW is not an ISO date-time: ${env.SITE_NOW}`);
  const mode = env.SITE_MODE === "development" ? "development" : "production";
  return {
    contentDir: path.resolve(env.SITE_CONTENT_DIR ?? path.join(ROOT, "content")),
    dataDir: path.resolve(env.SITE_DATA_DIR ?? path.join(ROOT, "_data")),
    now,
    mode,
  };
}
