import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { writeFileSync } from "node:fs";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticPhoto } from "../../scripts/lib/synthetic-images.ts";
import { launchBrowser } from "../helpers/browser.ts";
import { runBuild } from "../helpers/build.ts";
import { git, startCms, type CmsEnvironment } from "../helpers/cms.ts";
import { readPage } from "../helpers/site.ts";

let browser: Browser;
let cms: CmsEnvironment;
let page: Page;

beforeAll(async () => {
  cms = await startCms({ mode: "git" });
  browser = await launchBrowser();
  // Editors are in Japan: dates typed into the admin are Tokyo dates.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: "Asia/Tokyo", locale: "ja-JP" });
  page = await context.newPage();
  // Decap asks "公開しますか？" with window.confirm; an editor answers yes.
  page.on("dialog", (dialog) => void dialog.accept());
  await page.goto(cms.adminUrl);
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.waitForSelector("text=コレクション");
});
afterAll(async () => {
  await browser?.close();
  await cms?.stop();
});

/** Field inputs are labelled; Decap numbers their ids, so find them through the label text. */
async function field(label: string) {
  const id = await page.locator("label", { hasText: new RegExp(`^${label}`) }).first().getAttribute("for");
  return page.locator(`[id="${id}"]`);
}

async function buildRepo(): Promise<string> {
  const result = await runBuild({ content: path.join(cms.repo, "content"), data: path.join(cms.repo, "_data") });
  expect(result.stderr).not.toContain("問題");
  expect(result.ok).toBe(true);
  return result.output;
}

describe("編集画面（Decap CMS, 実物の decap-server と git）", () => {
  it("画面は日本語で、英語のままの表示がない", async () => {
    const body = await page.locator("body").innerText();
    for (const text of ["コンテンツ", "メディア", "新規作成", "インフォメーション", "イベント", "地方版ラボ", "固定ページ", "サイト設定"]) {
      expect(body).toContain(text);
    }
    await page.goto(`${cms.adminUrl}#/workflow`);
    await page.waitForSelector("text=公開準備完了");
    const workflow = await page.locator("body").innerText();
    for (const text of ["下書き", "レビュー待ち", "公開準備完了"]) expect(workflow).toContain(text);
    for (const english of ["Contents", "Workflow", "Media", "Quick add", "Drafts", "In Review", "Ready", "Loading"]) {
      expect(workflow).not.toContain(english);
    }
  });

  it("必須項目が空のままでは保存できず、理由が表示される", async () => {
    await page.goto(`${cms.adminUrl}#/collections/news/new`);
    await (await field("概要")).fill("タイトルを入れずに保存してみる");
    await page.getByRole("button", { name: "保存" }).click();
    await expect.poll(() => page.locator("body").innerText()).toContain("タイトルは必須です。");
    expect(await page.locator("body").innerText()).toContain("すべての必須項目を入力してください。");
    expect(git(cms.repo, "branch", "--list", "cms/*")).toBe("");
  });

  it("お知らせを作成して保存すると cms/news/... ブランチにビルドが受け付けるファイルができる", async () => {
    await page.goto(`${cms.adminUrl}#/collections/news/new`);
    await (await field("タイトル")).fill("長岡市で除雪の実証成果を公開しました");
    await (await field("掲載日")).fill("2026-11-26");
    await (await field("カテゴリ")).click();
    await page.getByText("活動報告", { exact: true }).click();
    await (await field("概要")).fill("路面センサーを使った除雪実証の成果を公開しました。");
    await (await field("関連する地方版ラボ")).click();
    await page.keyboard.type("長岡");
    await page.getByText("長岡市IoT推進ラボ", { exact: true }).click();
    await page.locator("[data-slate-editor]").click();
    await page.keyboard.type("雪国の除雪作業をセンサーで効率化しました。");

    // The preview pane renders with the site's markup and Japanese date format.
    const preview = page.frameLocator("iframe").first();
    await expect.poll(() => preview.locator("h1").textContent()).toBe("長岡市で除雪の実証成果を公開しました");
    expect(await preview.locator(".c-entry__meta time").textContent()).toBe("2026年11月26日（木）");

    await page.getByRole("button", { name: "保存" }).click();
    await page.waitForSelector("text=保存しました。");
    expect(git(cms.repo, "branch", "--list", "cms/*")).toContain("cms/news/2026-11-26");
    const file = git(cms.repo, "show", "cms/news/2026-11-26:content/news/2026-11-26.md");
    expect(file).toMatch(/^---\n/);
    expect(file).toContain("title: 長岡市で除雪の実証成果を公開しました");
    expect(file).toMatch(/labs:\n\s+- nagaoka/);
    expect(file).toContain("雪国の除雪作業をセンサーで効率化しました。");
    // Not on main yet: the public site does not have it.
    expect(git(cms.repo, "ls-files", "content/news/2026-11-26.md")).toBe("");
  });

  it("公開準備完了にして公開すると main にマージされ、ビルドした一覧に載る", async () => {
    await page.getByText("ステータス: 下書き").click();
    await page.getByText("公開準備完了", { exact: true }).click();
    await page.waitForSelector("text=エントリのステータスを更新しました。");
    await page.getByText("公開", { exact: true }).first().click();
    await page.getByText("公開する", { exact: true }).click();
    await expect.poll(() => git(cms.repo, "ls-files", "content/news/2026-11-26.md"), { timeout: 15_000 }).toBe("content/news/2026-11-26.md");
    expect(git(cms.repo, "branch", "--show-current")).toBe("main");
    await expect.poll(() => git(cms.repo, "branch", "--list", "cms/*")).toBe("");
    const site = await buildRepo();
    expect(readPage("/news/", site)).toContain("長岡市で除雪の実証成果を公開しました");
    expect(readPage("/labs/nagaoka/", site)).toContain("/news/2026-11-26/");
  });

  it("既存のラボページを編集すると、そのファイルだけが変わる", async () => {
    // A fresh load, so nothing of the previous editor stays mounted.
    await page.goto("about:blank");
    await page.goto(`${cms.adminUrl}#/collections/labs/entries/nagaoka`);
    await page.locator("label", { hasText: /^ラボ名/ }).waitFor();
    const summary = await field("紹介文");
    await expect.poll(() => summary.inputValue()).toContain("除雪の効率化");
    await summary.fill("雪国のものづくりとIoTで地域の課題を解決する長岡市のラボです。");
    await page.getByRole("button", { name: "保存" }).click();
    await page.waitForSelector("text=保存しました。");
    const changed = git(cms.repo, "diff", "--name-only", "main...cms/labs/nagaoka");
    expect(changed.split("\n")).toEqual(["content/labs/nagaoka.md"]);
    // Export the branch (not a worktree: decap-server may have it checked out at this moment).
    const worktree = mkdtempSync(path.join(os.tmpdir(), "iotlab-branch-"));
    execFileSync("sh", ["-c", `git archive cms/labs/nagaoka | tar -x -C "${worktree}"`], { cwd: cms.repo });
    const result = await runBuild({ content: path.join(worktree, "content"), data: path.join(worktree, "_data") });
    expect(result.ok, result.stderr).toBe(true);
    expect(readPage("/labs/nagaoka/", result.output)).toContain("雪国のものづくりとIoTで地域の課題を解決する長岡市のラボです。");
  });

  it("カメラの写真（4000×3000, GPS付き）をアップロードすると、ブラウザで縮小・EXIF除去されてから保存される", async () => {
    const photo = path.join(mkdtempSync(path.join(os.tmpdir(), "iotlab-upload-")), "camera-photo.jpg");
    const original = await syntheticPhoto(5, { width: 4000, height: 3000, gps: true, quality: 95 });
    writeFileSync(photo, original);
    expect(original.length).toBeGreaterThan(2 * 1024 * 1024);

    await page.goto("about:blank");
    await page.goto(`${cms.adminUrl}#/collections/news/new`);
    await page.locator("label", { hasText: /^タイトル/ }).waitFor();
    await (await field("タイトル")).fill("写真つきのお知らせ");
    await (await field("掲載日")).fill("2026-11-27");
    await (await field("カテゴリ")).click();
    await page.getByText("お知らせ", { exact: true }).click();
    await (await field("概要")).fill("写真のアップロードを確かめます。");
    await page.locator("[data-slate-editor]").click();
    await page.keyboard.type("本文です。");
    await page.getByRole("button", { name: "画像を選択" }).click();
    await page.locator("input[type=file]").setInputFiles(photo);
    await page.getByText("camera-photo.jpg").waitFor();
    await page.getByRole("button", { name: "選択する" }).click();
    await (await field("代替テキスト")).fill("除雪車に取り付けた路面センサー");
    await page.getByRole("button", { name: "保存" }).click();
    await page.waitForSelector("text=保存しました。");

    const stored = execFileSync("git", ["show", "cms/news/2026-11-27:content/media/camera-photo.jpg"], { cwd: cms.repo, maxBuffer: 64 * 1024 * 1024 });
    const meta = await sharp(stored).metadata();
    expect(meta.width).toBe(1600);
    expect(meta.height).toBe(1200);
    expect(stored.length).toBeLessThan(original.length / 3);
    expect(stored.length).toBeLessThan(5 * 1024 * 1024);
    expect(meta.exif).toBeUndefined();
    const entry = git(cms.repo, "show", "cms/news/2026-11-27:content/news/2026-11-27.md");
    expect(entry).toMatch(/^image:\n(\s+\w+: .*\n)*\s+src: \/media\/camera-photo\.jpg$/m);
    expect(entry).toMatch(/^\s+alt: 除雪車に取り付けた路面センサー$/m);
  });
});
