import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, describeViolations, launchBrowser } from "../helpers/browser.ts";
import { serveStatic } from "../helpers/server.ts";
import { siteDir } from "../helpers/site.ts";

/** Queries a person would type, and the page that must be in the top 3. Grows with the content. */
const QUERIES: { query: string; expected: string }[] = JSON.parse(
  readFileSync(path.join(import.meta.dirname, "search-queries.json"), "utf8"),
);

let browser: Browser;
let server: Awaited<ReturnType<typeof serveStatic>>;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  server = await serveStatic(siteDir());
  page = await browser.newPage({ viewport: { width: 375, height: 800 } });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function search(params: string): Promise<{ status: string; urls: string[]; types: string[] }> {
  await page.goto(`${server.url}/search/?${params}`);
  await page.waitForFunction(() => /件|見つかりません|入力して/.test(document.getElementById("search-status")?.textContent ?? ""));
  return {
    status: (await page.textContent("#search-status")) ?? "",
    urls: await page.$$eval(".c-search-results__title a", (as) => as.map((a) => a.getAttribute("href") ?? "")),
    types: await page.$$eval(".c-search-results__item .c-tag", (tags) => tags.map((t) => t.textContent ?? "")),
  };
}

describe("日本語のサイト内検索（Pagefind）", () => {
  it(`${QUERIES.length} 件のよくある検索語で、目的のページが上位3件に入る`, async () => {
    expect(QUERIES.length).toBeGreaterThanOrEqual(20);
    const misses: string[] = [];
    for (const { query, expected } of QUERIES) {
      const { urls } = await search(`q=${encodeURIComponent(query)}`);
      if (!urls.slice(0, 3).includes(expected)) misses.push(`${query}: expected ${expected}, got ${urls.slice(0, 3).join(", ")}`);
    }
    expect(misses).toEqual([]);
  });

  it("全角・半角の違いは同じ結果になる（ＩｏＴ と IoT）", async () => {
    const full = await search(`q=${encodeURIComponent("ＩｏＴ")}`);
    const half = await search("q=IoT");
    expect(full.urls.length).toBeGreaterThan(0);
    expect(full.urls).toEqual(half.urls);
  });

  it("結果には種類、日付、ハイライトされた抜粋が出て、件数が読み上げられる", async () => {
    const { status } = await search(`q=${encodeURIComponent("除雪")}`);
    expect(status).toMatch(/「除雪」の検索結果：\d+件/);
    expect(await page.getAttribute("#search-status", "aria-live")).toBe("polite");
    expect(await page.locator(".c-search-results mark").first().textContent()).toContain("除雪");
    expect(await page.locator(".c-search-results__item .c-entry__meta").first().textContent()).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
  });

  it("種類で絞り込むと、その種類だけになる", async () => {
    const all = await search(`q=${encodeURIComponent("センサー")}`);
    const events = await search(`q=${encodeURIComponent("センサー")}&type=${encodeURIComponent("イベント")}`);
    expect(events.urls.length).toBeGreaterThan(0);
    expect(events.urls.length).toBeLessThan(all.urls.length);
    expect(new Set(events.types)).toEqual(new Set(["イベント"]));
    expect(events.urls.every((u) => u.startsWith("/events/"))).toBe(true);
  });

  it("地方・都道府県・テーマで絞り込める", async () => {
    const region = await search(`q=IoT&region=${encodeURIComponent("北海道")}`);
    expect(region.urls.length).toBeGreaterThan(0);
    expect(region.urls).toContain("/labs/sarufutsu/");
    expect(region.urls).not.toContain("/labs/nagaoka/");
    const pref = await search(`q=IoT&prefecture=${encodeURIComponent("新潟県")}`);
    expect(pref.urls).toContain("/labs/nagaoka/");
    expect(pref.urls.every((u) => !u.includes("sarufutsu"))).toBe(true);
    const theme = await search(`q=IoT&theme=${encodeURIComponent("除雪・雪対策")}&type=${encodeURIComponent("地方版ラボ")}`);
    expect(theme.urls).toContain("/labs/nagaoka/");
    expect(theme.urls).not.toContain("/labs/kawakami/");
  });

  it("新しい順に並べ替えられる", async () => {
    await search(`q=${encodeURIComponent("センサー")}&type=${encodeURIComponent("インフォメーション")}&sort=date`);
    const dates = await page.$$eval(".c-search-results__item .c-entry__meta", (els) =>
      els.map((e) => (e.textContent ?? "").match(/(\d{4})年(\d{1,2})月(\d{1,2})日/)!.slice(1).map(Number)),
    );
    const keys = dates.map(([y, m, d]) => y! * 10000 + m! * 100 + d!);
    expect(keys.length).toBeGreaterThan(1);
    expect([...keys].sort((a, b) => b - a)).toEqual(keys);
  });

  it("ナビゲーションの文言、下書き、検索ページ自体は見つからない", async () => {
    const nav = await search(`q=${encodeURIComponent("本文へ移動")}`);
    expect(nav.urls).toEqual([]);
    expect(nav.status).toContain("見つかりませんでした");
    const draft = await search(`q=${encodeURIComponent("下書き 未公開の募集案内")}`);
    expect(draft.urls.filter((u) => u.includes("draft"))).toEqual([]);
    const self = await search(`q=${encodeURIComponent("サイト内検索")}`);
    expect(self.urls).not.toContain("/search/");
    const lists = await search(`q=${encodeURIComponent("新着情報")}`);
    expect(lists.urls).not.toContain("/");
  });

  it("キーボードだけで検索し、結果へ移動できる", async () => {
    await page.goto(`${server.url}/search/`);
    await page.focus("#search-q");
    await page.keyboard.type("養殖");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => /件/.test(document.getElementById("search-status")?.textContent ?? ""));
    expect(page.url()).toContain("q=%E9%A4%8A%E6%AE%96");
    await page.keyboard.press("Tab"); // submit button
    await page.keyboard.press("Tab"); // filters summary
    await page.keyboard.press("Tab"); // first result
    expect(await page.evaluate(() => document.activeElement?.closest(".c-search-results") !== null)).toBe(true);
  });

  it("検索ページは axe の違反ゼロ（結果表示中）", async () => {
    await search(`q=${encodeURIComponent("除雪")}&type=${encodeURIComponent("イベント")}`);
    const violations = await axeViolations(page);
    expect(describeViolations("/search/", violations)).toBe("");
  });

  it("JavaScript がなければ、その旨とサイトマップへの案内が出る", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const p = await context.newPage();
    await p.goto(`${server.url}/search/?q=test`);
    expect(await p.textContent("#search-nojs")).toContain("JavaScriptが必要です");
    expect(await p.getAttribute("#search-nojs a", "href")).toBe("/sitemap/");
    await context.close();
  });
});
