/**
 * A pull request whose content does not build: its preview becomes a page that lists what to fix
 * (editors see changes through Decap's preview link, never through GitHub's checks).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, describeViolations, launchBrowser } from "../helpers/browser.ts";
import { copyOfSampleContent, runBuild, tempDir, type BuildResult } from "../helpers/build.ts";
import { serveStatic } from "../helpers/server.ts";

let browser: Browser;
let result: BuildResult;
let problems: string;

beforeAll(async () => {
  const content = copyOfSampleContent();
  // Problems in three files.
  writeFileSync(path.join(content, "news/2026-11-20-broken.md"), "---\ndate: 2026-11-20\ncategory: notice\nsummary: 概要\n---\n本文\n");
  writeFileSync(
    path.join(content, "news/2026-11-21-ghost.md"),
    "---\ntitle: 存在しないラボ\ndate: 2026-11-21\ncategory: notice\nlabs: [ghost-lab]\nsummary: 概要\n---\n本文\n",
  );
  const lab = path.join(content, "labs/nagaoka.md");
  writeFileSync(lab, readFileSync(lab, "utf8").replace(/^summary: .*$/m, "summary: ''"));
  problems = path.join(tempDir("problems-"), "page");
  result = await runBuild({ content, mode: "preview", problemsPage: problems });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe("内容に問題があるプレビュー", () => {
  it("生成は失敗し、直すべきファイル・項目と編集画面へのリンクを一覧にしたページができる", () => {
    expect(result.ok).toBe(false);
    expect(existsSync(path.join(result.output, "index.html"))).toBe(false);
    const html = readFileSync(path.join(problems, "index.html"), "utf8");
    expect(html).toContain("<h2>content/news/2026-11-20-broken.md</h2>");
    expect(html).toContain("項目「タイトル」(title): 必須項目です。入力してください / is required");
    // Editors know an entry by its title (or a lab by its name).
    expect(html).toContain("<h2>「存在しないラボ」（content/news/2026-11-21-ghost.md）</h2>");
    expect(html).toContain("ラボ「ghost-lab」は登録されていません");
    expect(html).toContain('href="https://iot-lab-portal.example.jp/admin/#/collections/news/entries/2026-11-20-broken"');
    expect(html).toContain("<h2>「長岡市IoT推進ラボ」（content/labs/nagaoka.md）</h2>");
    expect(html).toContain('href="https://iot-lab-portal.example.jp/admin/#/collections/labs/entries/nagaoka"');
    expect(html).toContain('<meta name="robots" content="noindex">');
  });

  it("ブラウザで読める: axe の違反ゼロ、CSP の違反ゼロ、幅 375px で横スクロールなし", async () => {
    const server = await serveStatic(problems);
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    const blocked: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) blocked.push(m.text());
    });
    await page.goto(server.url + "/");
    expect(await page.locator("h1").innerText()).toBe("内容に問題があるため、プレビューを作成できませんでした");
    const violations = await axeViolations(page);
    expect(violations, describeViolations("problems page", violations)).toEqual([]);
    expect(blocked).toEqual([]);
    // The inline style is allowed by its hash, so it applies.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector("main")!).maxWidth)).toBe("768px");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.close();
    await server.close();
  });

  it("プログラムの問題では詳細を出さず、管理者への連絡を促す", async () => {
    const { problemsPageHtml } = await import("../../src/build/problems-page.ts");
    const html = await problemsPageHtml(undefined, "https://iot-lab-portal.example.jp");
    expect(html).toContain("サイトの管理者に連絡してください");
    expect(html).not.toContain("<h2>");
  });
});
