/**
 * Search payload (issue 4): the Pagefind index size on disk and what a visitor downloads for
 * the first query, measured in real Chromium against the site served compressed.
 *   node scripts/bench/search.ts [--site DIR] [--query 除雪]
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { build } from "../build.ts";
import { CHROME_FLAGS, CHROME_PATH } from "../lib/chromium.ts";
import { serveLikeProduction } from "./serve.ts";

const { values } = parseArgs({ options: { site: { type: "string" }, query: { type: "string", default: "除雪" } } });
let site = values.site;
if (!site) {
  site = `/tmp/iotlab-bench-search-${process.pid}`;
  await build({ output: site, now: "2026-11-26T10:00:00+09:00" });
}
const onDisk = readdirSync(path.join(site, "pagefind"), { recursive: true, withFileTypes: true })
  .filter((d) => d.isFile())
  .reduce((n, d) => n + statSync(path.join(d.parentPath, d.name)).size, 0);

const server = await serveLikeProduction(site);
const browser = await chromium.launch({
  executablePath: CHROME_PATH,
  args: CHROME_FLAGS,
});
const page = await browser.newPage();
// Pagefind fetches its WebAssembly and index chunks from a worker; Playwright reports those too.
const rows: (readonly [string, number])[] = [];
const pending: Promise<void>[] = [];
page.context().on("requestfinished", (request) => {
  pending.push(
    request.sizes().then((s) => {
      rows.push([new URL(request.url()).pathname, s.responseBodySize + s.responseHeadersSize] as const);
    }),
  );
});
await page.goto(`${server.url}/search/?q=${encodeURIComponent(values.query)}`);
await page.waitForFunction(() => /件|見つかりません/.test(document.getElementById("search-status")?.textContent ?? ""));
await page.waitForTimeout(500);
await Promise.all(pending);
const search = rows.filter(([p]) => p.startsWith("/pagefind/") || p.startsWith("/assets/search."));
const total = rows.reduce((n, [, b]) => n + b, 0);
const searchTotal = search.reduce((n, [, b]) => n + b, 0);
await browser.close();
await server.close();

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log(`Pagefind index on disk: ${kb(onDisk)}`);
console.log(`First query "${values.query}": search code and index ${kb(searchTotal)} in ${search.length} requests; whole page ${kb(total)}`);
for (const [p, n] of search.sort((a, b) => b[1] - a[1])) console.log(`  ${kb(n).padStart(9)}  ${p}`);
