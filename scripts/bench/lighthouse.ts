/**
 * Performance budgets (issue 9), measured, not asserted in tests:
 *   node scripts/bench/lighthouse.ts [--site DIR]
 * Builds the sample site (fixed "now") unless --site is given, serves it compressed on loopback,
 * runs Lighthouse (mobile emulation, system Chromium via CHROME_PATH) on four pages and prints
 * the four category scores, plus the top page's transfer sizes against the budgets.
 * Exits 1 when a budget is missed.
 */
import { parseArgs } from "node:util";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { build } from "../build.ts";
import { CHROME_FLAGS, CHROME_PATH } from "../lib/chromium.ts";
import { serveLikeProduction } from "./serve.ts";

const { values } = parseArgs({ options: { site: { type: "string" }, now: { type: "string", default: "2026-11-26T10:00:00+09:00" } } });
let site = values.site;
if (!site) {
  site = `/tmp/iotlab-bench-site-${process.pid}`;
  await build({ output: site, now: values.now });
}
const server = await serveLikeProduction(site);
const chrome = await chromeLauncher.launch({
  chromePath: CHROME_PATH,
  // Lighthouse needs the new headless mode for accurate rendering metrics.
  chromeFlags: [...CHROME_FLAGS.filter((f) => f !== "--headless"), "--headless=new"],
});

const PAGES = {
  top: "/",
  news: "/news/2026-03-18-nagaoka-smart-snow-removal-report/",
  lab: "/labs/nagaoka/",
  search: `/search/?q=${encodeURIComponent("除雪")}`,
};
const failures: string[] = [];
const rows: string[] = [];
let topTransfer: { html: number; css: number; js: number; images: number; total: number } | undefined;

try {
  for (const [name, path] of Object.entries(PAGES)) {
    const result = await lighthouse(server.url + path, { port: chrome.port, output: "json", logLevel: "error" });
    if (!result) throw new Error(`no Lighthouse result for ${path}`);
    const lhr = result.lhr;
    const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
    const scores = { performance: score("performance"), accessibility: score("accessibility"), "best-practices": score("best-practices"), seo: score("seo") };
    rows.push(`| ${name} | ${scores.performance} | ${scores.accessibility} | ${scores["best-practices"]} | ${scores.seo} | ${Math.round(lhr.audits["largest-contentful-paint"]?.numericValue ?? 0)} ms |`);
    if (scores.performance < 95) failures.push(`${name}: performance ${scores.performance} < 95`);
    for (const c of ["accessibility", "best-practices", "seo"] as const) {
      // The search page is noindex by design, which Lighthouse's SEO category counts against it.
      if (scores[c] < 100 && !(name === "search" && c === "seo")) failures.push(`${name}: ${c} ${scores[c]} < 100`);
    }
    for (const [id, audit] of Object.entries(lhr.audits)) {
      const byDesign = name === "search" && id === "is-crawlable";
      if (!byDesign && audit.score !== null && audit.score < 1 && audit.scoreDisplayMode === "binary") failures.push(`${name}: audit ${id} failed (${audit.title})`);
    }
    if (name === "top") {
      const requests = (lhr.audits["network-requests"]?.details as { items?: { url: string; transferSize?: number; resourceType?: string }[] } | undefined)?.items ?? [];
      const sum = (type: string) => requests.filter((r) => r.resourceType === type).reduce((n, r) => n + (r.transferSize ?? 0), 0);
      topTransfer = { html: sum("Document"), css: sum("Stylesheet"), js: sum("Script"), images: sum("Image"), total: requests.reduce((n, r) => n + (r.transferSize ?? 0), 0) };
      const blocking = lhr.audits["render-blocking-resources"]?.details as { items?: { url: string }[] } | undefined;
      if ((blocking?.items ?? []).some((i) => i.url.endsWith(".js"))) failures.push("top: render-blocking JavaScript");
    }
  }
} finally {
  await chrome.kill();
  await server.close();
}

console.log("| page | performance | accessibility | best practices | SEO | LCP |");
console.log("|---|---|---|---|---|---|");
for (const row of rows) console.log(row);
if (topTransfer) {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const textTotal = topTransfer.html + topTransfer.css + topTransfer.js;
  console.log(`\nTop page transferred: HTML ${kb(topTransfer.html)}, CSS ${kb(topTransfer.css)}, JS ${kb(topTransfer.js)} → ${kb(textTotal)} (budget 60 KB); images ${kb(topTransfer.images)}; everything ${kb(topTransfer.total)}`);
  if (textTotal > 60 * 1024) failures.push(`top page HTML+CSS+JS ${kb(textTotal)} > 60 KB`);
  if (topTransfer.css > 20 * 1024) failures.push(`CSS ${kb(topTransfer.css)} > 20 KB`);
}
if (failures.length) {
  console.log(`\nBudgets missed:\n${failures.map((f) => `  - ${f}`).join("\n")}`);
  process.exitCode = 1;
} else console.log("\nAll budgets met.");
