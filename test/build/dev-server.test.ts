/**
 * `npm start` (scripts/start.ts): Eleventy's incremental rebuilds, decap-server, live reload. A
 * save re-renders only some pages and reuses cached checks and calendars, so this test proves
 * that what an editor saves really shows everywhere it should.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../src/options.ts";
import { freePort } from "../../src/ops/free-port.ts";
import { copyOfSampleContent, TEST_NOW } from "../helpers/build.ts";

/** One `npm start` on its own copy of the sample content. */
class DevServer {
  process!: ChildProcess;
  base = "";
  content = copyOfSampleContent();
  log = "";

  async start(): Promise<void> {
    const data = path.join(path.dirname(this.content), "_data");
    cpSync(path.join(ROOT, "_data"), data, { recursive: true });
    const port = await freePort();
    this.base = `http://localhost:${port}/`;
    this.process = spawn(process.execPath, [path.join(ROOT, "scripts/start.ts")], {
      env: { ...process.env, SITE_CONTENT_DIR: this.content, SITE_DATA_DIR: data, SITE_NOW: TEST_NOW, PORT: String(port), CMS_PORT: String(await freePort()) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.process.stdout!.on("data", (d) => (this.log += d));
    this.process.stderr!.on("data", (d) => (this.log += d));
    await this.eventually("/", "地方版IoT推進ラボ", 120_000);
    // The file watcher is ready shortly after the first build is served.
    await new Promise((r) => setTimeout(r, 2000));
  }

  async text(url: string): Promise<string> {
    const res = await fetch(new URL(url, this.base));
    return res.ok ? res.text() : "";
  }

  /** Waits until `url` contains `needle` (the rebuild after a save has reached it). */
  async eventually(url: string, needle: string, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let body = "";
    while (Date.now() < deadline) {
      body = await this.text(url).catch(() => "");
      if (body.includes(needle)) return body;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${url} never showed "${needle}"\n${this.log.slice(-2000)}`);
  }
}

function edit(file: string, from: RegExp, to: string) {
  const source = readFileSync(file, "utf8");
  expect(source).toMatch(from);
  writeFileSync(file, source.replace(from, to));
}

const dev = new DevServer();
const content = dev.content;
const text = (url: string) => dev.text(url);
const eventually = (url: string, needle: string) => dev.eventually(url, needle);

beforeAll(() => dev.start(), 150_000);
afterAll(() => {
  dev.process?.kill("SIGTERM");
});

describe("npm start: a saved entry shows everywhere after the rebuild", () => {
  it("a news title changes on its page, the news list and the home page", async () => {
    const file = readdirSync(path.join(content, "news")).sort().at(-1)!;
    const slug = file.replace(/\.md$/, "");
    edit(path.join(content, "news", file), /^title: .*$/m, "title: 年末年始の休業日程を更新しました");
    const page = await eventually(`/news/${slug}/`, "年末年始の休業日程を更新しました");
    expect(page).toContain("<h1");
    await eventually("/news/", "年末年始の休業日程を更新しました");
    await eventually("/", "年末年始の休業日程を更新しました");
  });

  it("an event's new title reaches its page and both calendar files", async () => {
    const file = readdirSync(path.join(content, "events")).sort()[0]!;
    const slug = file.replace(/\.md$/, "");
    edit(path.join(content, "events", file), /^title: .*$/m, "title: 変更後のイベント名称");
    await eventually(`/events/${slug}/`, "変更後のイベント名称");
    const single = await eventually(`/events/${slug}/event.ics`, "SUMMARY:変更後のイベント名称");
    expect(single.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    await eventually("/events/events.ics", "SUMMARY:変更後のイベント名称");
  });

  it("a news item's new title and lab reach the pages of both labs", async () => {
    const source = path.join(content, "news", "2025-06-27-kawakami-smart-agri-sensor.md");
    edit(source, /^title: .*$/m, "title: 川上村の土壌センサー実証（更新）");
    await eventually("/labs/kawakami/", "川上村の土壌センサー実証（更新）");
    // Moved to another lab: the old lab's page drops it, the new lab's page lists it.
    edit(source, /^labs: \[kawakami\]$/m, "labs: [nagaoka]");
    await eventually("/labs/nagaoka/", "川上村の土壌センサー実証（更新）");
    const old = await text("/labs/kawakami/");
    expect(old).toContain("川上村IoT推進ラボ");
    expect(old).not.toContain("川上村の土壌センサー実証（更新）");
  });

  it("a lab's new name reaches the pages of its events", async () => {
    edit(path.join(content, "labs", "kawakami.md"), /^name: .*$/m, "name: 川上村スマート農業ラボ");
    await eventually("/labs/kawakami/", "川上村スマート農業ラボ");
    await eventually("/events/2027-01-20-kawakami-smart-agri-seminar/", "川上村スマート農業ラボ");
    await eventually("/events/2025-07-24-kawakami-harvest-forecast-tour/", "川上村スマート農業ラボ");
  });

  it("a deleted news item leaves the news list, its labs' pages and its own address", async () => {
    const slug = "2025-08-28-aizuwakamatsu-tourism-data-platform";
    const title = readFileSync(path.join(content, "news", `${slug}.md`), "utf8").match(/^title: (.*)$/m)![1]!;
    expect(await text("/labs/aizuwakamatsu/")).toContain(`/news/${slug}/`);
    expect(await text(`/news/${slug}/`)).toContain(title);
    rmSync(path.join(content, "news", `${slug}.md`));
    const deadline = Date.now() + 30_000;
    while ((await text("/labs/aizuwakamatsu/")).includes(`/news/${slug}/`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await text("/labs/aizuwakamatsu/")).not.toContain(`/news/${slug}/`);
    expect(await text("/news/feed.xml")).not.toContain(title);
    expect((await fetch(new URL(`/news/${slug}/`, dev.base))).status).toBe(404);
  });

  it("a broken save is reported, and fixing it brings the page back", async () => {
    const file = readdirSync(path.join(content, "news")).sort()[0]!;
    const slug = file.replace(/\.md$/, "");
    const source = path.join(content, "news", file);
    const original = readFileSync(source, "utf8");
    edit(source, /^category: .*$/m, "category: no-such-category");
    const deadline = Date.now() + 30_000;
    while (!dev.log.includes(`content/news/${file}: `) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    // The editor is told which file and which field, in Japanese and English.
    const report = dev.log.slice(dev.log.indexOf(`content/news/${file}: `)).split("\n")[0]!;
    expect(report).toContain("(category)");
    expect(report).toMatch(/[ぁ-んァ-ン]/);
    expect(report).toContain(" / ");
    // The page being edited still shows (its last good version) and says what is wrong.
    const shown = await eventually(`/news/${slug}/`, 'role="alert"');
    expect(shown).toContain(`content/news/${file}`);
    expect(shown).toContain("(category)");
    // Meanwhile another entry's save still shows.
    edit(path.join(content, "news", "2025-08-05-tokushima-minami-drone-evacuation.md"), /^title: .*$/m, "title: 問題の修正中に保存した別のお知らせ");
    await eventually("/news/2025-08-05-tokushima-minami-drone-evacuation/", "問題の修正中に保存した別のお知らせ");
    await eventually("/labs/minami/", "問題の修正中に保存した別のお知らせ");
    expect(await text(`/news/${slug}/`)).toContain('role="alert"');
    writeFileSync(source, original.replace(/^title: .*$/m, "title: 修正後のお知らせ"));
    const fixed = await eventually(`/news/${slug}/`, "修正後のお知らせ");
    expect(fixed).not.toContain('role="alert"');
  });

  it("a new file with a problem shows the problem, not an error page, until it is fixed", async () => {
    const file = path.join(content, "news", "2026-11-27-new-item.md");
    writeFileSync(file, "---\ndate: 2026-11-27\ncategory: notice\nsummary: 新しいお知らせの概要\n---\n本文です。\n");
    const shown = await eventually("/news/2026-11-27-new-item/", 'role="alert"');
    expect(shown).toContain("content/news/2026-11-27-new-item.md");
    expect(shown).toContain("(title)");
    writeFileSync(file, "---\ntitle: 新しく追加したお知らせ\ndate: 2026-11-27\ncategory: notice\nsummary: 新しいお知らせの概要\n---\n本文です。\n");
    await eventually("/news/2026-11-27-new-item/", "新しく追加したお知らせ");
    await eventually("/news/", "新しく追加したお知らせ");
  });
});

describe("npm start with a file that is already broken", () => {
  const broken = new DevServer();
  const file = "news/2025-06-27-kawakami-smart-agri-sensor.md";

  beforeAll(() => {
    edit(path.join(broken.content, file), /^category: .*$/m, "category: no-such-category");
    return broken.start();
  }, 150_000);
  afterAll(() => {
    broken.process?.kill("SIGTERM");
  });

  it("serves the site and the admin, names the problem, and shows the file once it is fixed", async () => {
    const home = await broken.text("/");
    expect(home).toContain('role="alert"');
    expect(home).toContain(`content/${file}`);
    expect(home).toContain("(category)");
    expect(await broken.text("/admin/")).toContain("decap");
    // The other pages are whole; the broken file's page says where the problem is listed.
    expect(await broken.text("/labs/nagaoka/")).toContain("長岡");
    expect(await broken.text("/news/2025-06-27-kawakami-smart-agri-sensor/")).toContain("上の枠に示した問題を直して保存すると表示されます");
    edit(path.join(broken.content, file), /^category: .*$/m, "category: report");
    const fixed = await broken.eventually("/news/2025-06-27-kawakami-smart-agri-sensor/", "関連する地方版ラボ");
    expect(fixed).not.toContain('role="alert"');
    await broken.eventually("/labs/kawakami/", "/news/2025-06-27-kawakami-smart-agri-sensor/");
  });
});
