import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseFeed } from "@rowanmanning/feed-parser";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { HtmlValidate } from "html-validate";
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { readPage, siteDir } from "../helpers/site.ts";

const SITE = "https://iot-lab-portal.example.jp";

function htmlFiles(): string[] {
  return readdirSync(siteDir(), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".html"))
    .sort();
}
const urlOf = (file: string) => `/${file.replace(/index\.html$/, "")}`;

describe("HTML の妥当性（html-validate）", () => {
  it("生成されたすべてのページがエラーなし", async () => {
    const validator = new HtmlValidate({
      extends: ["html-validate:recommended"],
      rules: {
        // Formatting preferences, not validity: Nunjucks output keeps the template's whitespace.
        "no-trailing-whitespace": "off",
        // Japanese text uses full-width brackets and the pager shows "1" … "n" as link text.
        "text-content": "off",
        // An SEO length hint, not validity: official Japanese titles are long, and cutting the
        // <title> would hide part of it from screen-reader users, for whom it names the page.
        "long-title": "off",
        // The search filters are a group of checkboxes sharing one name (?type=a&type=b), as HTML intends.
        "form-dup-name": ["error", { shared: ["radio", "checkbox", "button", "reset", "submit"] }],
        // eleventy-img writes <img ... width height> in its own attribute order and boolean style.
        "attribute-boolean-style": "off",
        "attribute-empty-style": "off",
        // Decorative thumbnails next to the linked title carry alt="" on purpose.
        "wcag/h37": ["error", { allowEmpty: true }],
      },
    });
    const problems: string[] = [];
    for (const file of htmlFiles()) {
      const report = await validator.validateFile(path.join(siteDir(), file));
      for (const result of report.results) {
        for (const m of result.messages) problems.push(`${file}:${m.line}:${m.column} ${m.ruleId} ${m.message}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("フィード・カレンダー・オープンデータ", () => {
  it("インフォメーションの Atom フィードを実際のフィードパーサーで読める", () => {
    const feed = parseFeed(readPage("/news/feed.xml")).toJSON();
    expect(feed.title).toBe("地方版IoT推進ラボ インフォメーション");
    expect(feed.items.length).toBeGreaterThan(20);
    const first = feed.items[0]!;
    expect(first.url).toMatch(new RegExp(`^${SITE}/news/\\d{4}-`));
    expect(first.title).toBeTruthy();
    expect(first.published).toBeTruthy();
    expect(feed.items.some((i) => i.title?.includes("【下書き】"))).toBe(false);
  });

  it("イベントの Atom フィードを読める", () => {
    const feed = parseFeed(readPage("/events/feed.xml")).toJSON();
    expect(feed.items.length).toBeGreaterThanOrEqual(16);
    expect(feed.items.every((i) => i.url?.startsWith(`${SITE}/events/`))).toBe(true);
  });

  it("iCalendar を ical.js で読め、日時は東京時間で正しい", () => {
    const cal = new ICAL.Component(ICAL.parse(readPage("/events/events.ics")));
    const events = cal.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    expect(events.length).toBe(16);
    const seminar = events.find((e) => e.summary === "スマート農業IoTセミナー in 川上村")!;
    expect(seminar.startDate.toJSDate().toISOString()).toBe("2027-01-20T04:30:00.000Z");
    expect(seminar.endDate.toJSDate().toISOString()).toBe("2027-01-20T07:30:00.000Z");
    expect(seminar.location).toContain("川上村");
    const allDay = events.find((e) => e.startDate.isDate && e.endDate.toString() !== e.startDate.toString() && e.duration.days === 2);
    expect(allDay, "2-day all-day event with an exclusive end date").toBeDefined();
  });

  it("イベントごとの「カレンダーに追加」ファイル", () => {
    const one = new ICAL.Component(ICAL.parse(readPage("/events/2027-01-20-kawakami-smart-agri-seminar/event.ics")));
    expect(one.getAllSubcomponents("vevent")).toHaveLength(1);
    expect(readPage("/events/2027-01-20-kawakami-smart-agri-seminar/")).toContain('href="/events/2027-01-20-kawakami-smart-agri-seminar/event.ics"');
  });

  it("地方版ラボのオープンデータ（JSON・CSV）", () => {
    const json = JSON.parse(readPage("/labs/labs.json")) as { count: number; labs: { id: string; prefectureCode: string; url: string }[] };
    expect(json.count).toBe(json.labs.length);
    expect(json.labs.length).toBeGreaterThanOrEqual(30);
    expect(json.labs.find((l) => l.id === "nagaoka")).toMatchObject({ prefectureCode: "15", url: `${SITE}/labs/nagaoka/` });
    const csv = readPage("/labs/labs.csv");
    expect(csv.startsWith("\uFEFFID,ラボ名,都道府県コード")).toBe(true);
    expect(csv.trim().split("\r\n")).toHaveLength(json.labs.length + 1);
  });
});

describe("サイトマップ", () => {
  it("sitemap.xml は整形式で、公開ページをちょうどすべて列挙する", () => {
    const xml = readPage("/sitemap.xml");
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser().parse(xml) as { urlset: { url: { loc: string }[] } };
    const listed = parsed.urlset.url.map((u) => u.loc.replace(SITE, "")).sort();
    const indexable = htmlFiles()
      .filter((f) => !/<meta name="robots" content="noindex/.test(readFileSync(path.join(siteDir(), f), "utf8")))
      .map(urlOf)
      .sort();
    expect(listed).toEqual(indexable);
    expect(new Set(listed).size).toBe(listed.length);
  });
});

describe("構造化データ（JSON-LD, schema.org）", () => {
  const jsonLd = (url: string) =>
    [...readPage(url).matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/g)].flatMap((m) => {
      const data = JSON.parse(m[1]!) as unknown;
      return Array.isArray(data) ? data : [data];
    }) as Record<string, unknown>[];

  it("トップページ：WebSite（検索アクション）と GovernmentOrganization", () => {
    const types = jsonLd("/").map((d) => d["@type"]);
    expect(types).toEqual(["WebSite", "GovernmentOrganization"]);
  });

  it("お知らせ：NewsArticle、イベント：Event（場所と日時）、ラボ：Organization、パンくず：BreadcrumbList", () => {
    const news = jsonLd("/news/2026-03-18-nagaoka-smart-snow-removal-report/");
    expect(news[0]).toMatchObject({ "@type": "NewsArticle", datePublished: "2026-03-18", inLanguage: "ja" });
    expect(news[0]!.image).toMatch(new RegExp(`^${SITE}/media/`));
    const event = jsonLd("/events/2027-01-20-kawakami-smart-agri-seminar/")[0]!;
    expect(event).toMatchObject({ "@type": "Event", startDate: "2027-01-20T13:30:00+09:00", endDate: "2027-01-20T16:30:00+09:00" });
    expect((event.location as { "@type": string })["@type"]).toBe("Place");
    const lab = jsonLd("/labs/nagaoka/")[0]!;
    expect(lab).toMatchObject({ "@type": "Organization", name: "長岡市IoT推進ラボ" });
    const crumbs = jsonLd("/labs/nagaoka/").find((d) => d["@type"] === "BreadcrumbList")!;
    const items = crumbs.itemListElement as { position: number; name: string; item: string }[];
    expect(items.map((i) => i.position)).toEqual([1, 2, 3]);
    expect(items.map((i) => i.item)).toEqual([`${SITE}/`, `${SITE}/labs/`, `${SITE}/labs/nagaoka/`]);
  });

  it("すべての JSON-LD が JSON として読め、@context は schema.org", () => {
    for (const file of htmlFiles().filter((f) => !f.startsWith("admin"))) {
      for (const d of jsonLd(urlOf(file))) expect(d["@context"], file).toBe("https://schema.org");
    }
  });
});

describe("外部サイトへのリンク", () => {
  it("すべての外部リンクに印と「（外部サイト）」の読み上げがあり、noopener で開く", () => {
    const problems: string[] = [];
    for (const file of htmlFiles().filter((f) => !f.startsWith("admin"))) {
      const html = readFileSync(path.join(siteDir(), file), "utf8");
      for (const m of html.matchAll(/<a ([^>]*href="https?:\/\/(?!iot-lab-portal\.example\.jp)[^"]+"[^>]*)>([\s\S]*?)<\/a>/g)) {
        const attrs = m[1]!;
        if (!attrs.includes("c-external") || !/rel="[^"]*noopener/.test(attrs) || !m[2]!.includes("（外部サイト）")) {
          problems.push(`${file}: ${m[0].slice(0, 120)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
