import { cpSync, mkdirSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

/**
 * Copies Decap CMS from the npm package into the site (no CDN): the main bundle, the chunks it
 * loads from its own folder, its WebAssembly and licence. Source maps and the duplicate `cms.js`
 * build are left out.
 */
export function vendorDecap(target: string): void {
  const dist = path.dirname(require.resolve("decap-cms/dist/decap-cms.js"));
  mkdirSync(target, { recursive: true });
  for (const name of readdirSync(dist)) {
    if (/(^|\.)decap-cms\.js$|\.wasm$|LICENSE/.test(name)) cpSync(path.join(dist, name), path.join(target, name));
  }
}
