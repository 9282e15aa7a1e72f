import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminCsp, COMMON_HEADERS, serializeCsp, VISITOR_CSP } from "../../src/security/headers.ts";
import { launchBrowser } from "../helpers/browser.ts";
import { serveStatic } from "../helpers/server.ts";
import { siteDir } from "../helpers/site.ts";

let browser: Browser;
let server: Awaited<ReturnType<typeof serveStatic>>;

/** Served as a host would: the CSP as a real header (frame-ancestors included) on top of the <meta>. */
beforeAll(async () => {
  browser = await launchBrowser();
  const admin = serializeCsp(adminCsp({ authOrigin: "https://cms-auth.iot-lab-portal.example.jp", localProxyOrigin: "http://localhost:8081" }));
  server = await serveStatic(siteDir(), (pathname) => ({
    ...COMMON_HEADERS,
    "Content-Security-Policy": pathname.startsWith("/admin/") ? admin : serializeCsp(VISITOR_CSP),
  }));
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a page collecting every CSP violation the browser reports, from before any script runs. */
async function violations(page: Page, url: string, ready?: (page: Page) => Promise<unknown>): Promise<string[]> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const console: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) console.push(m.text());
  });
  await page.goto(server.url + url);
  if (ready) await ready(page);
  await page.waitForTimeout(300);
  const events = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
  return [...events, ...console];
}

describe("Content-Security-Policy を実際に守っている", () => {
  const pages = [
    "/",
    "/news/",
    "/news/2026-03-18-nagaoka-smart-snow-removal-report/",
    "/events/",
    "/events/2027-01-20-kawakami-smart-agri-seminar/",
    "/labs/",
    "/labs/nagaoka/",
    "/about/",
    "/accessibility/",
    "/sitemap/",
    "/no-such-page/",
  ];

  it("訪問者のページ種別すべてで違反ゼロ（画像・CSS・フォーム）", async () => {
    const found: string[] = [];
    for (const url of pages) {
      const page = await browser.newPage();
      for (const v of await violations(page, url)) found.push(`${url}: ${v}`);
      await page.close();
    }
    expect(found).toEqual([]);
  });

  it("検索ページ（Pagefind の WebAssembly と索引の読み込み）で違反ゼロ、検索も動く", async () => {
    const page = await browser.newPage();
    const found = await violations(page, `/search/?q=${encodeURIComponent("除雪")}`, (p) =>
      p.waitForFunction(() => /件/.test(document.getElementById("search-status")?.textContent ?? "")),
    );
    expect(found).toEqual([]);
    expect(await page.locator(".c-search-results__item").count()).toBeGreaterThan(0);
    await page.close();
  });

  it("編集画面（Decap CMS）は専用のポリシーで違反ゼロのまま起動する", async () => {
    const page = await browser.newPage();
    const found = await violations(page, "/admin/", (p) => p.getByRole("button", { name: /ログイン/ }).first().waitFor({ timeout: 30_000 }));
    expect(found).toEqual([]);
    await page.close();
  });

  it("インラインスクリプトは実際に止められる（ポリシーが効いていることの確認）", async () => {
    const page = await browser.newPage();
    await page.goto(server.url + "/");
    const ran = await page.evaluate(async () => {
      const s = document.createElement("script");
      s.textContent = "window.__inlineRan = true";
      document.body.append(s);
      await new Promise((r) => setTimeout(r, 50));
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(ran).toBe(false);
    await page.close();
  });
});
