import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { copyOfSampleContent, runBuild, TEST_NOW, type BuildResult } from "../helpers/build.ts";
import { serveStatic } from "../helpers/server.ts";
import { pageExists, readPage } from "../helpers/site.ts";

const URL_PATH = "/news/2026-12-05-winter-webinar-call/";
const ENTRY = `---
title: 冬の特別ウェビナー参加者募集
date: 2026-12-05
category: recruitment
summary: 期間限定の募集です。
publishAt: 2026-12-05T09:00:00+09:00
unpublishAt: 2026-12-20T17:00:00+09:00
---
募集期間中だけ公開されるお知らせです。
`;

const NOWS = {
  before: "2026-12-05T08:59:59+09:00",
  opening: "2026-12-05T09:00:00+09:00",
  inside: "2026-12-10T12:00:00+09:00",
  closing: "2026-12-20T17:00:00+09:00",
  after: "2027-01-05T12:00:00+09:00",
};
const builds: Record<string, BuildResult> = {};

function pageCount(site: string): number {
  const entry = JSON.parse(readFileSync(path.join(site, "pagefind/pagefind-entry.json"), "utf8")) as {
    languages: Record<string, { page_count: number }>;
  };
  return Object.values(entry.languages).reduce((n, l) => n + l.page_count, 0);
}

beforeAll(async () => {
  const content = copyOfSampleContent();
  writeFileSync(path.join(content, "news/2026-12-05-winter-webinar-call.md"), ENTRY);
  for (const [name, now] of Object.entries(NOWS)) {
    builds[name] = await runBuild({ content, now });
    if (!builds[name]!.ok) throw new Error(builds[name]!.stderr);
  }
}, 300_000);

describe("公開開始日時・公開終了日時（Asia/Tokyo）", () => {
  const visibleAt = (name: keyof typeof NOWS) => {
    const site = builds[name]!.output;
    return {
      page: pageExists(URL_PATH, site),
      list: readPage("/news/", site).includes(URL_PATH),
      category: readPage("/news/category/recruitment/", site).includes(URL_PATH),
      sitemap: readPage("/sitemap.xml", site).includes(URL_PATH),
      searchPages: pageCount(site),
    };
  };

  it("公開開始前はどこにも出ない（ページ・一覧・サイトマップ・検索索引）", () => {
    expect(visibleAt("before")).toMatchObject({ page: false, list: false, category: false, sitemap: false });
  });

  it("公開開始日時ちょうどから公開され、期間中はすべてに出る", () => {
    expect(visibleAt("opening")).toMatchObject({ page: true, list: true, category: true, sitemap: true });
    const inside = visibleAt("inside");
    expect(inside).toMatchObject({ page: true, list: true, category: true, sitemap: true });
    expect(inside.searchPages).toBe(visibleAt("before").searchPages + 1);
  });

  it("公開終了日時ちょうどに取り下げられ、その後も出ない", () => {
    for (const name of ["closing", "after"] as const) {
      const v = visibleAt(name);
      expect(v, name).toMatchObject({ page: false, list: false, category: false, sitemap: false });
      expect(v.searchPages).toBe(visibleAt("inside").searchPages - 1);
    }
  });

  it("取り下げたページの URL はサイトの 404 ページを返す", async () => {
    const server = await serveStatic(builds.after!.output);
    try {
      const res = await fetch(server.url + URL_PATH);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain("お探しのページが見つかりません");
    } finally {
      await server.close();
    }
  });
});

describe("プレビューと本番の違いは、非公開・公開予定・公開終了の項目とバナーだけ", () => {
  let production: BuildResult;
  let preview: BuildResult;
  beforeAll(async () => {
    production = await runBuild({ now: TEST_NOW });
    preview = await runBuild({ now: TEST_NOW, mode: "preview" });
  }, 120_000);

  const htmlPages = (dir: string) =>
    readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith("index.html") && !f.startsWith("admin"))
      .sort();

  const UNPUBLISHED = [
    "news/2026-11-25-draft-unpublished-recruitment/index.html",
    "news/2026-12-01-year-end-holiday-notice/index.html",
    "news/2026-04-01-fy2026-call-faq/index.html",
    "events/2027-03-25-fukuoka-pref-draft-event/index.html",
  ].sort();

  it("プレビューにだけあるページは、非公開・公開予定・公開終了の項目", () => {
    const prod = new Set(htmlPages(production.output));
    const extra = htmlPages(preview.output).filter((f) => !prod.has(f));
    expect(extra).toEqual(UNPUBLISHED);
    expect(htmlPages(production.output).filter((f) => !htmlPages(preview.output).includes(f))).toEqual([]);
  });

  it("各項目にはその状態のバナーが出る", () => {
    const banner = (f: string) => readFileSync(path.join(preview.output, f), "utf8").match(/c-visibility-banner" role="note"><strong>([^<]+)</)?.[1];
    expect(banner("news/2026-11-25-draft-unpublished-recruitment/index.html")).toBe("非公開（下書き）");
    expect(banner("news/2026-12-01-year-end-holiday-notice/index.html")).toBe("公開予定");
    expect(banner("news/2026-04-01-fy2026-call-faq/index.html")).toBe("公開終了");
    expect(banner("events/2027-03-25-fukuoka-pref-draft-event/index.html")).toBe("非公開（下書き）");
  });

  it("公開中の記事ページは、プレビューの帯と noindex を除けば本番と同じ", () => {
    const normalise = (html: string) =>
      html
        .replace(/<p class="c-preview-banner"[^>]*>.*?<\/p>\n?/, "")
        .replace(/<meta name="robots" content="noindex">/, "")
        .replace(/<link rel="canonical"[^>]*>/, "");
    const pages = htmlPages(production.output).filter((f) => /^(news|events)\/\d{4}-/.test(f));
    expect(pages.length).toBeGreaterThan(30);
    for (const f of pages) {
      const prod = readFileSync(path.join(production.output, f), "utf8");
      const prev = readFileSync(path.join(preview.output, f), "utf8");
      expect(normalise(prev), f).toBe(normalise(prod));
      expect(prod).not.toContain("c-preview-banner");
      expect(prev).toContain("c-preview-banner");
    }
  });

  it("一覧に増えるリンクは非公開・公開予定・公開終了の項目だけ", () => {
    const links = (dir: string) => new Set([...readPage("/news/", dir).matchAll(/href="(\/news\/\d[^"]+)"/g)].map((m) => m[1]!));
    const prod = links(production.output);
    const extra = [...links(preview.output)].filter((l) => !prod.has(l)).sort();
    const expected = UNPUBLISHED.filter((f) => f.startsWith("news/")).map((f) => `/${f.replace("index.html", "")}`).sort();
    expect(extra.every((l) => expected.includes(l))).toBe(true);
    expect(extra.length).toBeGreaterThan(0);
  });
});
