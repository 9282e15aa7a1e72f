/**
 * Screenshots for the CMS manual (docs/manual/images/*.png), taken from the real admin: the site
 * built from a throwaway copy of the sample content, the real decap-server in git mode on that
 * copy (test/helpers/cms.ts), real Chromium through playwright-core. Nothing touches this
 * working copy except the PNG files it writes.
 *
 *   node scripts/docs-screenshots.ts [--out docs/manual/images] [--only name,name]
 *
 * Browser: CHROME_PATH or /usr/bin/chromium, with the flags of test/helpers/browser.ts, Japanese
 * UI (LANG=ja_JP.UTF-8; on Debian install `chromium-l10n` so date fields read 2026/11/26),
 * time zone Asia/Tokyo, viewport 1280×800. The production sign-in screen is shown by opening the
 * admin under a host name that is not localhost, so Decap offers 「GitHub でログインする」 (nothing
 * is sent to GitHub). Original photos are served beside the built site so that thumbnails show
 * as they do in production. PNGs are quantised to a palette to keep them small.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { CHROME_FLAGS, CHROME_PATH } from "./lib/chromium.ts";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import sharp from "sharp";
import { ROOT } from "../src/options.ts";
import { startCms, type CmsEnvironment } from "../test/helpers/cms.ts";

export const IMAGES_DIR = path.join(ROOT, "docs/manual/images");

/** Every screenshot the manual uses, with what it shows (the docs test checks each is referenced). */
export const SCREENSHOTS = {
  "login-github": "本番のログイン画面（GitHub でログインする）",
  "login-local": "手元（npm start）のログイン画面（ログイン）",
  "screen-overview": "コレクションの一覧（画面の見方、番号つき）",
  "required-error": "必須項目が空のまま保存したときのエラー",
  "news-form": "新しいお知らせの入力画面（入力済み）",
  "image-upload": "画像のアップロード（メディアの選択画面）",
  "image-alt": "メイン画像と代替テキストの欄",
  "attachment": "添付ファイル（PDF）の欄",
  "preview": "プレビュー（公開サイトと同じ見た目）",
  "editor-overview": "編集画面の見方（番号つき）",
  "status-menu": "ステータスのメニュー（下書き・レビュー待ち・公開準備完了）",
  "event-form": "新しいイベントの入力画面（入力済み）",
  "publication-fields": "公開開始日時・公開終了日時・非公開（下書き）の欄",
  "lab-editor": "地方版ラボのページの編集画面",
  "lab-photos": "地方版ラボの活動写真の欄",
  "publish-menu": "公開のメニュー",
  "workflow": "公開までの流れ（各列にカードが1枚ずつ）",
} as const;

export type ScreenshotName = keyof typeof SCREENSHOTS;

const VIEWPORT = { width: 1280, height: 800 };
/** The shared flags, plus the UI language. */
const FLAGS = [...CHROME_FLAGS, "--lang=ja-JP"];
/** A host name for the admin that is not localhost, so Decap shows the GitHub sign-in. */
const PRODUCTION_LIKE_HOST = "cms.example.test";

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Mark {
  target: Locator;
  n: number;
}

class Shooter {
  readonly written: { name: string; bytes: number }[] = [];
  readonly page: Page;
  readonly out: string;
  readonly only: Set<string> | undefined;
  constructor(page: Page, out: string, only: Set<string> | undefined) {
    this.page = page;
    this.out = out;
    this.only = only;
  }

  /** Takes one screenshot: the viewport, or the region around `clip` (locators or a box). */
  async shot(name: ScreenshotName, options: { clip?: Locator | Locator[] | Box; pad?: number; marks?: Mark[] } = {}): Promise<void> {
    if (this.only && !this.only.has(name)) return;
    await this.page.waitForTimeout(300);
    if (options.marks) await annotate(this.page, options.marks);
    let clip: Box | undefined;
    if (options.clip) {
      clip = "x" in options.clip ? options.clip : await regionOf(Array.isArray(options.clip) ? options.clip : [options.clip], options.pad ?? 12);
    }
    const raw = await this.page.screenshot({ clip, caret: "hide" });
    if (options.marks) await this.page.evaluate(() => document.getElementById("docs-annotations")?.remove());
    const png = await sharp(raw).png({ palette: true, colours: 128, effort: 10, compressionLevel: 9 }).toBuffer();
    const file = path.join(this.out, `${name}.png`);
    writeFileSync(file, png);
    this.written.push({ name, bytes: png.length });
    console.log(`  ${name}.png  ${(png.length / 1024).toFixed(0)} KB  ${SCREENSHOTS[name]}`);
  }
}

/** The smallest box around the elements, padded and kept inside the viewport. */
async function regionOf(targets: Locator[], pad: number): Promise<Box> {
  const boxes: Box[] = [];
  for (const t of targets) {
    const b = await t.boundingBox();
    if (!b) throw new Error(`element not visible for the screenshot: ${t.toString()}`);
    boxes.push(b);
  }
  const x1 = Math.max(0, Math.min(...boxes.map((b) => b.x)) - pad);
  const y1 = Math.max(0, Math.min(...boxes.map((b) => b.y)) - pad);
  const x2 = Math.min(VIEWPORT.width, Math.max(...boxes.map((b) => b.x + b.width)) + pad);
  const y2 = Math.min(VIEWPORT.height, Math.max(...boxes.map((b) => b.y + b.height)) + pad);
  return { x: Math.round(x1), y: Math.round(y1), width: Math.round(x2 - x1), height: Math.round(y2 - y1) };
}

/** Red frames with numbers over parts of the screen, referred to as ①②… in the manual. */
async function annotate(page: Page, marks: Mark[]): Promise<void> {
  const boxes: (Box & { n: number })[] = [];
  for (const m of marks) {
    const b = await m.target.boundingBox();
    if (!b) throw new Error(`element to mark ${m.n} is not visible: ${m.target.toString()}`);
    boxes.push({ ...b, n: m.n });
  }
  await page.evaluate((list) => {
    const layer = document.createElement("div");
    layer.id = "docs-annotations";
    layer.style.cssText = "position:fixed;inset:0;pointer-events:none;z-index:2147483647";
    for (const b of list) {
      const frame = document.createElement("div");
      frame.style.cssText = `position:absolute;left:${b.x - 4}px;top:${b.y - 4}px;width:${b.width + 8}px;height:${b.height + 8}px;border:3px solid #d6001c;border-radius:6px;box-sizing:border-box`;
      const badge = document.createElement("div");
      badge.textContent = String(b.n);
      const left = Math.min(Math.max(2, b.x - 16), window.innerWidth - 30);
      const top = Math.min(Math.max(2, b.y - 16), window.innerHeight - 30);
      badge.style.cssText = `position:absolute;left:${left}px;top:${top}px;width:28px;height:28px;border-radius:50%;background:#d6001c;color:#fff;font:bold 17px/28px sans-serif;text-align:center;box-shadow:0 0 0 2px #fff`;
      layer.append(frame, badge);
    }
    document.body.append(layer);
  }, boxes);
}

/** A labelled input of the editor; Decap numbers the ids, so go through the label. */
async function field(page: Page, label: string): Promise<Locator> {
  const labelEl = page.locator("label", { hasText: new RegExp(`^${label}`) }).first();
  await labelEl.waitFor();
  const id = await labelEl.getAttribute("for");
  return page.locator(`[id="${id}"]`);
}

/** The whole control (label, input and hint) of a field, for clipping. */
function control(page: Page, label: string): Locator {
  return page
    .locator("label", { hasText: new RegExp(`^${label}`) })
    .first()
    .locator('xpath=ancestor::div[contains(@class, "-ControlContainer")][1]');
}

async function openEditor(page: Page, url: string, firstLabel: string): Promise<void> {
  // A fresh load, so nothing of the previous editor stays mounted.
  await page.goto("about:blank");
  await page.goto(url);
  await page.locator("label", { hasText: new RegExp(`^${firstLabel}`) }).first().waitFor();
  await page.waitForTimeout(500);
}

async function choose(page: Page, label: string, option: string): Promise<void> {
  await (await field(page, label)).click();
  await page.getByText(option, { exact: true }).first().click();
}

async function chooseLab(page: Page, label: string, typed: string, name: string): Promise<void> {
  await (await field(page, label)).click();
  await page.keyboard.type(typed);
  await page.getByText(name, { exact: true }).first().click();
}

async function typeBody(page: Page, paragraphs: string[]): Promise<void> {
  await page.locator("[data-slate-editor]").first().click();
  for (const [i, p] of paragraphs.entries()) {
    if (i > 0) await page.keyboard.press("Enter");
    await page.keyboard.type(p);
  }
}

async function save(page: Page): Promise<void> {
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await page.getByText("保存しました。").first().waitFor({ timeout: 30_000 });
  await page.getByText("保存しました。").first().waitFor({ state: "hidden", timeout: 15_000 }).catch(() => undefined);
}

async function setStatus(page: Page, from: string, to: string): Promise<void> {
  await page.getByText(`ステータス: ${from}`).click();
  await page.getByRole("button", { name: to, exact: true }).or(page.getByText(to, { exact: true })).last().click();
  await page.getByText("エントリのステータスを更新しました。").first().waitFor();
}

/** Waits until a toast has slid into view (Decap animates them in from the right). */
async function waitForToast(page: Page, text: string): Promise<void> {
  const toast = page.getByText(text).first();
  await toast.waitFor();
  for (let i = 0; i < 50; i++) {
    const box = await toast.boundingBox();
    if (box && box.x + box.width <= VIEWPORT.width) break;
    await page.waitForTimeout(100);
  }
  await page.waitForTimeout(200);
}

async function scrollTo(target: Locator, offset = 90): Promise<void> {
  await target.evaluate((el, top) => {
    let parent: HTMLElement | null = el.parentElement;
    while (parent && !(parent.scrollHeight > parent.clientHeight + 10 && getComputedStyle(parent).overflowY !== "visible")) {
      parent = parent.parentElement;
    }
    const scroller = parent ?? document.scrollingElement!;
    scroller.scrollTop += el.getBoundingClientRect().top - top;
  }, offset);
  await target.page().waitForTimeout(300);
}

async function launch(extraArgs: string[]): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROME_PATH,
    args: [...FLAGS, ...extraArgs],
    env: { ...process.env, LANG: "ja_JP.UTF-8", LANGUAGE: "ja" },
  });
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORT, timezoneId: "Asia/Tokyo", locale: "ja-JP", deviceScaleFactor: 1 });
  const page = await context.newPage();
  // Decap asks 「公開しますか？」 etc. with window.confirm; the editor answers yes.
  page.on("dialog", (dialog) => void dialog.accept());
  return page;
}

/** Sample files an editor would pick from their computer. */
function uploads(): { photo: string; pdf: string } {
  const dir = path.join(os.tmpdir(), `iotlab-docs-uploads-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const photo = path.join(dir, "snowplow-sensor-2026.jpg");
  const pdf = path.join(dir, "seminar-2027-boshu.pdf");
  copyFileSync(path.join(ROOT, "content/media/snow-sensor-road.jpg"), photo);
  copyFileSync(path.join(ROOT, "content/media/fy2026-demonstration-guidelines.pdf"), pdf);
  return { photo, pdf };
}

export async function takeScreenshots(options: { out: string; only?: string[] }): Promise<{ name: string; bytes: number }[]> {
  mkdirSync(options.out, { recursive: true });
  const cms: CmsEnvironment = await startCms({ mode: "git" });
  const files = uploads();
  // Decap shows a photo's thumbnail from its public path (/media/…) when the local backend does
  // not hand it over, and the built site never contains original photos. Serve them next to the
  // built site, as the editor sees them in production (loaded through the GitHub API).
  cpSync(path.join(cms.repo, "content/media"), path.join(cms.siteDir, "media"), { recursive: true });
  for (const file of Object.values(files)) copyFileSync(file, path.join(cms.siteDir, "media", path.basename(file)));
  const admin = cms.adminUrl;
  const port = new URL(admin).port;
  const productionLike = `http://${PRODUCTION_LIKE_HOST}:${port}`;
  const browser = await launch([
    `--host-resolver-rules=MAP ${PRODUCTION_LIKE_HOST} 127.0.0.1`,
    // Decap needs a secure context (crypto.randomUUID); localhost is one, the test host is not.
    `--unsafely-treat-insecure-origin-as-secure=${productionLike}`,
  ]);
  const only = options.only?.length ? new Set(options.only) : undefined;
  const page = await newPage(browser);
  try {
    const s = new Shooter(page, options.out, only);

    // --- Sign-in -------------------------------------------------------------------------------
    await page.goto(`${productionLike}/admin/`);
    const github = page.getByRole("button", { name: "GitHub でログインする" });
    await github.waitFor();
    await s.shot("login-github", { clip: { x: 340, y: 110, width: 600, height: 590 } });

    await page.goto(admin);
    const login = page.getByRole("button", { name: "ログイン", exact: true });
    await login.waitFor();
    await s.shot("login-local", { clip: { x: 340, y: 160, width: 600, height: 490 } });
    await login.click();
    await page.getByText("コレクション").first().waitFor();
    await page.getByText("2025-06-10｜").first().waitFor();

    // --- The collection list ---------------------------------------------------------------------
    await s.shot("screen-overview", {
      marks: [
        { n: 1, target: page.getByRole("link", { name: "コンテンツ" }) },
        { n: 2, target: page.getByRole("link", { name: "公開までの流れ" }) },
        { n: 3, target: page.getByRole("button", { name: "メディア" }) },
        { n: 4, target: page.getByRole("button", { name: "新規作成" }) },
        { n: 5, target: page.getByRole("complementary") },
        { n: 6, target: page.getByRole("link", { name: "お知らせタイプのエントリを作成" }) },
        { n: 7, target: page.getByRole("button", { name: "絞り込み" }) },
        { n: 8, target: page.getByRole("main").getByRole("listitem").first() },
      ],
    });

    // --- A required field left empty -----------------------------------------------------------
    await openEditor(page, `${admin}#/collections/news/new`, "タイトル");
    await (await field(page, "概要")).fill("タイトルを入れずに保存すると、どう表示されるかの例です。");
    await page.getByRole("button", { name: "保存", exact: true }).click();
    await page.getByText("タイトルは必須です。").first().waitFor();
    await waitForToast(page, "すべての必須項目を入力してください。");
    await s.shot("required-error", { clip: { x: 0, y: 0, width: 1280, height: 420 } });

    // --- A news item with a photo and a PDF ----------------------------------------------------
    await openEditor(page, `${admin}#/collections/news/new`, "タイトル");
    await (await field(page, "タイトル")).fill("長岡市で除雪の実証成果を公開しました");
    await (await field(page, "掲載日")).fill("2026-11-26");
    await choose(page, "カテゴリ", "活動報告");
    await (await field(page, "概要")).fill("路面センサーと気象データを組み合わせた除雪実証の成果報告書を公開しました。");
    await chooseLab(page, "関連する地方版ラボ", "長岡", "長岡市IoT推進ラボ");
    await typeBody(page, [
      "長岡市IoT推進ラボは、2025年度冬季に実施した除雪実証の成果を公開しました。",
      "路面センサーの値と気象データから除雪車の出動時刻を判断し、出動回数を減らせることを確かめました。",
    ]);

    // The photo: 画像を選択 → upload → 選択する.
    await scrollTo(page.locator("label", { hasText: /^メイン画像/ }).first());
    await page.getByRole("button", { name: "画像を選択" }).first().click();
    await page.locator("input[type=file]").setInputFiles(files.photo);
    await page.getByText("snowplow-sensor-2026.jpg").first().waitFor({ timeout: 30_000 });
    await s.shot("image-upload");
    await page.getByRole("button", { name: "選択する" }).click();
    await (await field(page, "代替テキスト")).fill("除雪車の前方に取り付けた路面センサー");
    await scrollTo(page.locator("label", { hasText: /^メイン画像/ }).first());
    await s.shot("image-alt", { clip: control(page, "メイン画像") });

    // The PDF: 添付ファイルを追加 → ファイルを選択 → upload → 選択する.
    await scrollTo(page.locator("label", { hasText: /^添付ファイル/ }).first());
    await page.getByRole("button", { name: /添付ファイルを追加/ }).click();
    await page.getByRole("button", { name: "ファイルを選択" }).first().click();
    await page.locator("input[type=file]").setInputFiles(files.pdf);
    await page.getByText("seminar-2027-boshu.pdf").first().waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "選択する" }).click();
    await (await field(page, "表示名")).fill("除雪実証 成果報告書");
    await scrollTo(page.locator("label", { hasText: /^添付ファイル/ }).first());
    await s.shot("attachment", { clip: control(page, "添付ファイル") });

    await scrollTo(page.locator("label", { hasText: /^タイトル/ }).first(), 80);
    await s.shot("news-form");
    const preview = page.locator("iframe").first();
    // The pane is much taller than a short news item; keep the part with content.
    const pane = (await preview.boundingBox())!;
    await s.shot("preview", { clip: { x: Math.round(pane.x), y: Math.round(pane.y), width: Math.round(pane.width), height: 360 } });
    await save(page);
    await scrollTo(page.locator("label", { hasText: /^タイトル/ }).first(), 80);
    await s.shot("editor-overview", {
      marks: [
        { n: 1, target: page.getByRole("link", { name: /を編集中/ }) },
        { n: 2, target: page.getByRole("button", { name: "保存", exact: true }) },
        { n: 3, target: page.getByText("ステータス: 下書き") },
        { n: 4, target: page.getByText("公開", { exact: true }).first() },
        { n: 5, target: control(page, "タイトル") },
        { n: 6, target: preview },
        { n: 7, target: page.getByRole("button", { name: "プレビュー表示を切り替える" }) },
      ],
    });
    await page.getByText("ステータス: 下書き").click();
    await page.waitForTimeout(300);
    await s.shot("status-menu", { clip: { x: 0, y: 0, width: 1000, height: 220 } });
    await page.keyboard.press("Escape");
    await page.mouse.click(1100, 400);
    await setStatus(page, "下書き", "レビュー待ち");

    // --- An event, left as a draft ------------------------------------------------------------
    await openEditor(page, `${admin}#/collections/events/new`, "イベント名");
    await (await field(page, "イベント名")).fill("雪国IoTセミナー2027　除雪とものづくりのデータ活用");
    await (await field(page, "開始日時")).fill("2027-02-05T13:30");
    await (await field(page, "終了日時")).fill("2027-02-05T16:00");
    await (await field(page, "会場名")).fill("長岡市産業交流ハウス 2階 会議室");
    await (await field(page, "所在地")).fill("新潟県長岡市大手通0-0-0");
    await (await field(page, "オンライン配信あり")).click();
    await chooseLab(page, "主催ラボ", "長岡", "長岡市IoT推進ラボ");
    // Decap validates the fields inside an optional group even when it is left empty, so the
    // registration URL must be given (see the manual's troubleshooting chapter).
    await (await field(page, "申込ページURL")).fill("https://www.example.jp/nagaoka-iot/seminar-2027/");
    await (await field(page, "申込締切日")).fill("2027-01-29");
    await (await field(page, "参加費")).fill("無料");
    await (await field(page, "定員")).fill("60名（先着順）");
    await (await field(page, "概要")).fill("除雪実証の成果と、ものづくり現場のデータ活用事例を紹介するセミナーです。");
    await typeBody(page, ["対象：市内の事業者、自治体職員", "お問い合わせ：長岡市IoT推進ラボ事務局"]);
    await scrollTo(page.locator("label", { hasText: /^イベント名/ }).first(), 80);
    await s.shot("event-form");
    await scrollTo(page.locator("label", { hasText: /^公開開始日時/ }).first(), 120);
    await (await field(page, "公開開始日時")).fill("2026-12-01T09:00");
    await s.shot("publication-fields", {
      clip: [control(page, "公開開始日時"), control(page, "公開終了日時"), control(page, "非公開（下書き）")],
    });
    await save(page);

    // --- A lab page, made ready to publish -----------------------------------------------------
    await openEditor(page, `${admin}#/collections/labs/entries/nagaoka`, "ラボ名");
    await page.waitForTimeout(1000);
    await s.shot("lab-editor");
    await scrollTo(page.locator("label", { hasText: /^活動写真/ }).first(), 80);
    await s.shot("lab-photos", { clip: control(page, "活動写真") });
    const summary = await field(page, "紹介文");
    await summary.fill("雪国のものづくりとIoTで地域の課題を解決する長岡市のラボです。除雪の効率化や若手人材の育成に取り組んでいます。");
    await save(page);
    await setStatus(page, "下書き", "公開準備完了");
    await page.getByText("公開", { exact: true }).first().click();
    await page.getByText("公開する", { exact: true }).waitFor();
    await s.shot("publish-menu", { clip: { x: 0, y: 0, width: 1000, height: 240 } });
    await page.keyboard.press("Escape");

    // --- The board -------------------------------------------------------------------------------
    await page.goto("about:blank");
    await page.goto(`${admin}#/workflow`);
    await page.getByText("公開準備完了", { exact: true }).first().waitFor();
    await page.getByText("雪国IoTセミナー2027", { exact: false }).first().waitFor();
    await s.shot("workflow");
    return s.written;
  } catch (error) {
    // What the screen showed when a step failed, to see which label or message changed.
    const file = path.join(os.tmpdir(), "docs-screenshots-failure.png");
    const errors = await page.getByText(/は必須です。|と一致しません。|してください。/).allInnerTexts().catch(() => []);
    if (errors.length) console.error(`画面のエラー / errors on screen: ${errors.join(" / ")}`);
    await page.screenshot({ path: file }).catch(() => undefined);
    console.error(`失敗したときの画面 / screen at the failure: ${file}`);
    throw error;
  } finally {
    await browser.close();
    await cms.stop();
    rmSync(path.dirname(files.photo), { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { out: { type: "string", default: IMAGES_DIR }, only: { type: "string" } },
  });
  const out = path.resolve(values.out!);
  console.log(`CMS操作マニュアルの画面写真を撮影します / Taking the manual's screenshots → ${out}`);
  const started = performance.now();
  try {
    const written = await takeScreenshots({ out, only: values.only?.split(",").map((n) => n.trim()) });
    const total = written.reduce((n, w) => n + w.bytes, 0);
    const missing = (Object.keys(SCREENSHOTS) as ScreenshotName[]).filter((n) => !existsSync(path.join(out, `${n}.png`)));
    console.log(
      `${written.length} 枚、合計 ${(total / 1024 / 1024).toFixed(2)} MB（${((performance.now() - started) / 1000).toFixed(0)} 秒） / ${written.length} screenshots, ${(total / 1024 / 1024).toFixed(2)} MB`,
    );
    if (missing.length) console.error(`撮影されていない画像 / missing: ${missing.join(", ")}`);
  } catch (error) {
    console.error("画面写真の撮影に失敗しました / Taking the screenshots failed:");
    console.error(error);
    process.exitCode = 1;
  }
}

/** Total size of the committed screenshots, for the docs test's budget. */
export function imagesBytes(dir: string = IMAGES_DIR): number {
  return (Object.keys(SCREENSHOTS) as ScreenshotName[])
    .map((n) => path.join(dir, `${n}.png`))
    .filter((f) => existsSync(f))
    .reduce((sum, f) => sum + statSync(f).size, 0);
}
