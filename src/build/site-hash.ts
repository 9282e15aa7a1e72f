import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const SITE_HASH_FILE = "build-hash.txt";

/**
 * One SHA-256 over every published file (path and bytes). Builds are deterministic, so the hourly
 * scheduled build compares this with the live site's copy and skips deploys that change nothing.
 */
export function writeSiteHash(dir: string): string {
  const hash = createHash("sha256");
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)).split(path.sep).join("/"))
    .filter((f) => f !== SITE_HASH_FILE)
    .sort();
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(dir, file)));
  }
  const digest = hash.digest("hex");
  writeFileSync(path.join(dir, SITE_HASH_FILE), `${digest}\n`);
  return digest;
}
