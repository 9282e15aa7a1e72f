import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { buildSiteContent, entryUrl, paginate, type RawEntry } from "../../../src/content/site.ts";
import { loadReferenceData } from "../../../src/data/reference.ts";
import { ContentError } from "../../../src/schema/errors.ts";
import { relatedEntryPaths } from "../../../src/build/dev-rebuild.ts";
import { ROOT } from "../../../src/options.ts";
import path from "node:path";

const ref = loadReferenceData(path.join(ROOT, "_data"));
const now = DateTime.fromISO("2026-11-26T10:00:00+09:00", { setZone: true });

const lab = (id: string, extra: Record<string, unknown> = {}): RawEntry => ({
  inputPath: `labs/${id}.md`,
  url: `/labs/${id}/`,
  body: "ラボの紹介",
  data: {
    id,
    name: `${id}IoT推進ラボ`,
    prefecture: "15",
    round: 3,
    selectedOn: new Date("2017-08-07T00:00:00Z"),
    themes: ["snow"],
    summary: "紹介文",
    secretariat: "事務局",
    contact: { email: "lab@example.jp" },
    ...extra,
  },
});
const news = (slug: string, extra: Record<string, unknown> = {}): RawEntry => ({
  inputPath: `news/${slug}.md`,
  url: `/news/${slug}/`,
  body: "本文",
  data: { title: `お知らせ ${slug}`, date: new Date("2026-11-20T00:00:00Z"), category: "notice", summary: "概要", ...extra },
});
const event = (slug: string, start: string, end: string, extra: Record<string, unknown> = {}): RawEntry => ({
  inputPath: `events/${slug}.md`,
  url: `/events/${slug}/`,
  body: "詳細",
  data: { title: slug, start, end, organizer: "nagaoka", online: true, summary: "概要", ...extra },
});

function problemsOf(entries: RawEntry[]): string[] {
  try {
    buildSiteContent(entries, ref, { now, includeDrafts: false });
  } catch (e) {
    if (e instanceof ContentError) return e.problems;
    throw e;
  }
  return [];
}

describe("buildSiteContent", () => {
  it("新しい順に並べ、ラボごとのお知らせとイベントを引ける", () => {
    const site = buildSiteContent(
      [
        lab("nagaoka"),
        lab("kahoku", { prefecture: "17" }),
        news("2026-01-01-old", { date: new Date("2026-01-01T00:00:00Z"), labs: ["nagaoka"] }),
        news("2026-11-01-new", { date: new Date("2026-11-01T00:00:00Z"), featured: true }),
        event("past", "2026-11-01T10:00:00+09:00", "2026-11-01T12:00:00+09:00"),
        event("now", "2026-11-26T09:00:00+09:00", "2026-11-26T17:00:00+09:00"),
        event("soon", "2026-12-01T10:00:00+09:00", "2026-12-01T12:00:00+09:00"),
      ],
      ref,
      { now, includeDrafts: false },
    );
    expect(site.news.map((n) => n.slug)).toEqual(["2026-11-01-new", "2026-01-01-old"]);
    expect(site.featuredNews.map((n) => n.slug)).toEqual(["2026-11-01-new"]);
    expect(site.newsByLab.nagaoka!.map((n) => n.slug)).toEqual(["2026-01-01-old"]);
    expect(site.newsByLab.kahoku).toEqual([]);
    expect(site.upcomingEvents.map((e) => [e.slug, e.status])).toEqual([
      ["now", "ongoing"],
      ["soon", "upcoming"],
    ]);
    expect(site.pastEvents.map((e) => e.slug)).toEqual(["past"]);
    expect(site.eventsByLab.nagaoka).toHaveLength(3);
    expect(site.labsByRegion.find((r) => r.region.id === "chubu")!.count).toBe(2);
  });

  it("下書きは本番では含めない", () => {
    const site = buildSiteContent([lab("nagaoka"), news("2026-11-02-draft", { draft: true })], ref, { now, includeDrafts: false });
    expect(site.news).toEqual([]);
    const preview = buildSiteContent([lab("nagaoka"), news("2026-11-02-draft", { draft: true })], ref, { now, includeDrafts: true });
    expect(preview.news).toHaveLength(1);
  });

  it("必須項目の欠落をファイル名・項目名つきで日本語と英語で指摘する", () => {
    const problems = problemsOf([lab("nagaoka"), news("2026-11-03-x", { title: undefined })]);
    expect(problems).toEqual(["content/news/2026-11-03-x.md: 項目「タイトル」(title): 必須項目です。入力してください / is required"]);
  });

  it("存在しないラボへの参照を指摘する", () => {
    const problems = problemsOf([lab("nagaoka"), news("2026-11-03-x", { labs: ["nowhere"] }), event("e", "2026-12-01T10:00:00+09:00", "2026-12-01T12:00:00+09:00", { organizer: "ghost" })]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain("content/news/2026-11-03-x.md: 項目「関連する地方版ラボ」(labs): ラボ「nowhere」は登録されていません");
    expect(problems[1]).toContain("content/events/e.md: 項目「主催ラボ」(organizer)");
    expect(problems[1]).toContain('unknown lab "ghost"');
  });

  it("選択肢にないカテゴリ・都道府県、形式の違うURLとメール", () => {
    const problems = problemsOf([
      lab("nagaoka", { prefecture: "48", contact: { email: "not-an-email" }, website: "javascript:alert(1)" }),
      news("2026-11-03-x", { category: "gossip" }),
    ]);
    expect(problems.some((p) => p.includes("項目「都道府県」(prefecture): 選択肢にない値です"))).toBe(true);
    expect(problems.some((p) => p.includes("項目「問い合わせ先 › メールアドレス」(contact.email): メールアドレスの形式"))).toBe(true);
    expect(problems.some((p) => p.includes("項目「ウェブサイト」(website): http:// または https://"))).toBe(true);
    expect(problems.some((p) => p.includes("項目「カテゴリ」(category): 選択肢にない値です") && p.includes("must be one of: notice"))).toBe(true);
  });

  it("終了が開始より前のイベント、会場もオンラインもないイベント", () => {
    const problems = problemsOf([
      lab("nagaoka"),
      event("e", "2026-12-01T10:00:00+09:00", "2026-12-01T09:00:00+09:00", { online: false }),
    ]);
    expect(problems.some((p) => p.includes("(end): 開始日時より後にしてください"))).toBe(true);
    expect(problems.some((p) => p.includes("(venue): 会場を入力するか"))).toBe(true);
  });

  it("本文のHTMLとjavascript:リンク、日本語のファイル名、ラボIDとファイル名の不一致", () => {
    const bad = news("2026-11-03-x");
    bad.body = "<script>alert(1)</script>\n\n[x](javascript:alert(1))";
    const jp = news("除雪のお知らせ");
    const problems = problemsOf([lab("nagaoka", { id: "nagaoka-city" }), bad, jp]);
    expect(problems.some((p) => p.includes("content/news/2026-11-03-x.md: 項目「本文」(body): HTMLタグは使えません"))).toBe(true);
    expect(problems.some((p) => p.includes("content/news/2026-11-03-x.md: 項目「本文」(body): 使えない形式のリンク"))).toBe(true);
    expect(problems.some((p) => p.includes("content/news/除雪のお知らせ.md: ファイル名（URL名）"))).toBe(true);
    expect(problems.some((p) => p.includes("content/labs/nagaoka.md: 項目「ラボID（URL名）」(id): ファイル名「nagaoka」と同じに"))).toBe(true);
  });

  it("CMS が空欄のまま保存した任意のグループ（会場・参加申込）は未入力として扱う", () => {
    const site = buildSiteContent(
      [lab("nagaoka"), event("online", "2026-12-01T10:00:00+09:00", "2026-12-01T12:00:00+09:00", { venue: { name: "", address: "" }, registration: { url: "", deadline: null } })],
      ref,
      { now, includeDrafts: false },
    );
    expect(site.events[0]!.venue).toBeUndefined();
    expect(site.events[0]!.registration).toBeUndefined();
    const partial = problemsOf([lab("nagaoka"), event("half", "2026-12-01T10:00:00+09:00", "2026-12-01T12:00:00+09:00", { venue: { name: "", address: "長岡市大手通1" } })]);
    expect(partial).toEqual(["content/events/half.md: 項目「会場 › 会場名」(venue.name): 必須項目です。入力してください / is required"]);
  });

  it("URLの重複を指摘する", () => {
    const a = lab("nagaoka");
    const b = { ...lab("nagaoka"), inputPath: "labs/nagaoka.markdown" };
    const problems = problemsOf([a, b]);
    expect(problems.some((p) => p.includes('duplicate URL "/labs/nagaoka/"'))).toBe(true);
  });
});

describe("paginate / entryUrl", () => {
  it("0件でも1ページ目がある", () => {
    const pages = paginate([], 20, "/news/", "t", "h");
    expect(pages).toHaveLength(1);
    expect(pages[0]!.items).toEqual([]);
  });
  it("201件は11ページ", () => {
    const pages = paginate(Array.from({ length: 201 }, (_, i) => i), 20, "/news/", "t", "h");
    expect(pages.map((p) => p.url).slice(0, 3)).toEqual(["/news/", "/news/page/2/", "/news/page/3/"]);
    expect(pages.at(-1)!.items).toEqual([200]);
  });
  it("固定ページはトップレベルのURL", () => {
    expect(entryUrl("pages/about.md")).toBe("/about/");
    expect(entryUrl("news/2026-11-20-snow.md")).toBe("/news/2026-11-20-snow/");
  });
});

describe("relatedEntryPaths (npm start: entry pages that show a saved entry)", () => {
  const site = buildSiteContent(
    [
      lab("nagaoka"),
      lab("sanjo"),
      lab("tsubame"),
      news("2026-11-20-a", { labs: ["nagaoka"] }),
      news("2026-11-21-b", { labs: ["sanjo", "nagaoka"] }),
      news("2026-11-22-c"),
      event("2026-12-01-seminar", "2026-12-01T13:00:00+09:00", "2026-12-01T15:00:00+09:00", { organizer: "sanjo" }),
    ],
    ref,
    { now, includeDrafts: false },
  );

  it("news: the pages of the labs it names, before and after the save", () => {
    expect(relatedEntryPaths(site, "news/2026-11-20-a.md", ["nagaoka"])).toEqual(["labs/nagaoka.md"]);
    expect(relatedEntryPaths(site, "news/2026-11-20-a.md", ["tsubame"]).sort()).toEqual(["labs/nagaoka.md", "labs/tsubame.md"]);
    expect(relatedEntryPaths(site, "news/2026-11-22-c.md", [])).toEqual([]);
    // A new file: only what it names now.
    expect(relatedEntryPaths(site, "news/2026-11-30-new.md", ["sanjo"])).toEqual(["labs/sanjo.md"]);
  });

  it("events: the organizer's page", () => {
    expect(relatedEntryPaths(site, "events/2026-12-01-seminar.md", ["sanjo"])).toEqual(["labs/sanjo.md"]);
  });

  it("labs: the pages of its news and events, and no others", () => {
    expect(relatedEntryPaths(site, "labs/sanjo.md", ["sanjo"]).sort()).toEqual(["events/2026-12-01-seminar.md", "news/2026-11-21-b.md"]);
    expect(relatedEntryPaths(site, "labs/nagaoka.md", ["nagaoka"]).sort()).toEqual(["news/2026-11-20-a.md", "news/2026-11-21-b.md"]);
    expect(relatedEntryPaths(site, "labs/tsubame.md", ["tsubame"])).toEqual([]);
  });

  it("fixed pages and files outside the collections: none", () => {
    expect(relatedEntryPaths(site, "pages/about.md", [])).toEqual([]);
    expect(relatedEntryPaths(site, "media/photo.jpg", [])).toEqual([]);
  });
});
