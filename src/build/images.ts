import { cpSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../options.ts";

/** Widths of the generated variants: phone, tablet/2x phone, desktop 2x for the 48rem column. */
export const IMAGE_WIDTHS = [400, 800, 1200];

/** Encoded variants survive between builds (and CI runs cache this folder). */
export const IMAGE_CACHE = process.env.SITE_IMAGE_CACHE ?? path.join(ROOT, ".cache/img");

/** Copies the image variants the built pages reference from the cache into the site. */
export function copyUsedImages(outputDir: string, cacheDir: string): number {
  const used = new Set<string>();
  for (const entry of readdirSync(outputDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".html")) continue;
    const html = readFileSync(path.join(entry.parentPath, entry.name), "utf8");
    for (const m of html.matchAll(/\/img\/([A-Za-z0-9_-]+\.(?:avif|webp|jpe?g|png|gif))/g)) used.add(m[1]!);
  }
  if (used.size === 0) return 0;
  mkdirSync(path.join(outputDir, "img"), { recursive: true });
  for (const name of used) cpSync(path.join(cacheDir, name), path.join(outputDir, "img", name));
  return used.size;
}
