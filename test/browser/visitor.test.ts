import type { Browser } from "playwright-core";
import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeAccessibilityReport } from "../helpers/accessibility-report.ts";
import { axeViolations, describeViolations, launchBrowser } from "../helpers/browser.ts";
import { serveStatic } from "../helpers/server.ts";
import { siteDir } from "../helpers/site.ts";

/** One page of each type a visitor meets. */
const PAGE_TYPES = [
  "/",
  "/news/",
  "/news/category/report/",
  "/news/2026-01-09-wide-area-symposium-2026-results/",
  "/events/",
  "/events/past/",
  "/events/2027-01-20-kawakami-smart-agri-seminar/",
  "/labs/",
  "/labs/rounds/",
  "/labs/themes/",
  "/labs/akita-yoko-renkei/",
  "/labs/kota/",
  "/about/",
  "/accessibility/",
  "/sitemap/",
  "/search/",
  "/no-such-page/",
];

let browser: Browser;
let server: Awaited<ReturnType<typeof serveStatic>>;

beforeAll(async () => {
  browser = await launchBrowser();
  server = await serveStatic(siteDir());
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Every public HTML page of the built site (the admin is Decap's own UI, tested separately). */
function allPages(): string[] {
  return readdirSync(siteDir(), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".html") && !f.startsWith("admin"))
    .map((f) => `/${f.replace(/index\.html$/, "")}`)
    .sort();
}

describe("アクセシビリティ（axe, WCAG 2.2 AA）: サンプルサイトの全ページ", () => {
  const results: { width: number; pages: number; violations: number }[] = [];
  for (const width of [375, 1280]) {
    it(`全ページで違反ゼロ（幅 ${width}px）`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      const report: string[] = [];
      const pages = allPages();
      expect(pages.length).toBeGreaterThan(100);
      for (const url of pages) {
        await page.goto(server.url + url);
        const violations = await axeViolations(page);
        if (violations.length) report.push(describeViolations(url, violations));
      }
      await page.close();
      results.push({ width, pages: pages.length, violations: report.length });
      expect(report.join("\n")).toBe("");
    }, 600_000);
  }

  // The accessibility policy page publishes the latest automated result (JIS X 8341-3 practice).
  afterAll(() => {
    if (results.length === 2) writeAccessibilityReport(results);
  });
});

it("axe は違反のあるページでは違反を報告する（検査が働いていることの確認）", async () => {
  const page = await browser.newPage();
  await page.setContent('<!doctype html><html><head><title>x</title></head><body><main><img src="x.png"><a href="/"></a></main></body></html>');
  const ids = (await axeViolations(page)).map((v) => v.id);
  expect(ids).toContain("image-alt");
  expect(ids).toContain("html-has-lang");
  await page.close();
});

describe("レイアウト", () => {
  for (const width of [320, 375, 1280]) {
    it(`横スクロールが出ない（幅 ${width}px）`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      for (const url of ["/", "/news/", "/labs/akita-yoko-renkei/", "/news/2026-01-09-wide-area-symposium-2026-results/"]) {
        await page.goto(server.url + url);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${url} at ${width}px`).toBeLessThanOrEqual(0);
      }
      await page.close();
    });
  }

  it("320px の電話でもメニューのリンクがすべて見えていて押せる（JavaScriptなし）", async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(server.url + "/");
    const links = page.locator(".c-global-nav a");
    expect(await links.count()).toBe(6);
    for (const link of await links.all()) {
      expect(await link.isVisible()).toBe(true);
      const box = (await link.boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(24);
      expect(box.x + box.width).toBeLessThanOrEqual(320);
    }
    await context.close();
  });
});

describe("キーボード操作", () => {
  it("最初の Tab で「本文へ移動」が見え、Enter で本文に移る", async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await page.goto(server.url + "/news/");
    await page.keyboard.press("Tab");
    const skip = page.locator(".c-skip-link");
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    const box = (await skip.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    await page.keyboard.press("Enter");
    // Fragment navigation completes after the key event; wait for it (fails on timeout).
    await page.waitForURL(/#main$/, { timeout: 5000 });
    await page.keyboard.press("Tab");
    const inMain = await page.evaluate(() => document.activeElement?.closest("main") !== null);
    expect(inMain).toBe(true);
    await page.close();
  });

  it("Tab でロゴ、検索、メニューの順に進み、フォーカスが見える", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.url + "/");
    const order: string[] = [];
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press("Tab");
      order.push(
        await page.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          const style = getComputedStyle(el);
          const visible = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
          return `${el.tagName.toLowerCase()}:${(el.textContent || (el as HTMLInputElement).placeholder || "").trim()}:${visible}`;
        }),
      );
    }
    expect(order).toEqual([
      "a:本文へ移動:true",
      "a:地方版IoT推進ラボ:true",
      "input:キーワードで検索:true",
      "button:検索:true",
      "a:ホーム:true",
      "a:ラボとは:true",
      "a:インフォメーション:true",
      "a:イベント:true",
      "a:地方版ラボ:true",
      "a:お問い合わせ:true",
    ]);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/contact\/$/);
    expect(await page.title()).toContain("お問い合わせ");
    await page.close();
  });

  it("ヘッダーの検索フォームはキーワードを /search/ に渡す", async () => {
    const page = await browser.newPage();
    await page.goto(server.url + "/");
    await page.fill("#site-search", "除雪");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/search\/\?q=/);
    expect(decodeURIComponent(page.url())).toContain("q=除雪");
    await page.close();
  });
});
