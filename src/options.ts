import path from "node:path";
import { fileURLToPath } from "node:url";
import { DateTime } from "luxon";
import { TIME_ZONE } from "./schema/fields.ts";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * production: only what is public at "now". preview (pull-request previews) and development
 * (npm start): also drafts, scheduled and expired entries, each with a banner.
 */
export type SiteMode = "production" | "preview" | "development";

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
  const mode: SiteMode = env.SITE_MODE === "development" || env.SITE_MODE === "preview" ? env.SITE_MODE : "production";
  return {
    contentDir: path.resolve(env.SITE_CONTENT_DIR ?? path.join(ROOT, "content")),
    dataDir: path.resolve(env.SITE_DATA_DIR ?? path.join(ROOT, "_data")),
    now,
    mode,
  };
}
