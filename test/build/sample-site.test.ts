import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runBuild } from "../helpers/build.ts";
import { pageExists, readPage, siteDir, textsOf } from "../helpers/site.ts";

describe("サンプルサイトの生成（now = 2026-11-26 10:00 JST）", () => {
  it("訪問者が使うページがすべて生成される", () => {
    for (const url of [
      "/",
      "/news/",
      "/news/page/2/",
      "/news/category/report/",
      "/events/",
      "/events/past/",
      "/labs/",
      "/labs/rounds/",
      "/labs/themes/",
      "/labs/nagaoka/",
      "/news/2026-03-18-nagaoka-smart-snow-removal-report/",
      "/events/2027-01-20-kawakami-smart-agri-seminar/",
      "/about/",
      "/terms/",
      "/privacy/",
      "/accessibility/",
      "/contact/",
      "/sitemap/",
      "/search/",
      "/404.html",
      "/sitemap.xml",
      "/robots.txt",
    ]) {
      expect(pageExists(url), url).toBe(true);
    }
  });

  it("トップページ：概要、おすすめ、新着、イベント、地域別ラボ、親サイトへのリンク", () => {
    const html = readPage("/");
    expect(html).toContain('href="/about/"');
    expect(html).toContain(">おすすめ情報</h2>");
    expect(html).toContain(">新着情報</h2>");
    expect(html).toContain(">開催予定のイベント</h2>");
    expect(html).toContain(">各地方版ラボの情報</h2>");
    expect(html).toContain('href="https://www.iotac.jp/"');
    for (const region of ["北海道", "東北", "関東", "中部", "近畿", "中国", "四国", "九州・沖縄"]) expect(html).toContain(region);
  });

  it("インフォメーションは新しい順で、おすすめに印がつく", () => {
    const html = readPage("/news/");
    const dates = [...html.matchAll(/<time datetime="(\d{4}-\d{2}-\d{2})">/g)].map((m) => m[1]!);
    expect(dates.length).toBe(20);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(textsOf(html, "c-tag--featured").length).toBeGreaterThan(0);
    const page2 = readPage("/news/page/2/");
    expect(page2).toContain('aria-current="page">2<');
  });

  it("カテゴリで絞り込んだ一覧にはそのカテゴリだけが並ぶ", () => {
    const html = readPage("/news/category/recruitment/");
    const tags = textsOf(html.slice(html.indexOf('<ul class="c-entry-list">')), "c-tag").filter((t) => t !== "おすすめ");
    expect(tags.length).toBeGreaterThan(0);
    expect(new Set(tags)).toEqual(new Set(["募集"]));
  });

  it("イベントは now を境に開催予定と過去に分かれる", () => {
    const upcoming = readPage("/events/");
    const past = readPage("/events/past/");
    expect(upcoming).toContain("2026-12-03-okayama-sme-iot-seminar");
    expect(upcoming).not.toContain("2026-11-14-kahoku-kids-iot-programming");
    expect(past).toContain("2026-11-14-kahoku-kids-iot-programming");
    expect(past).not.toContain("2026-12-03-okayama-sme-iot-seminar");
    const detail = readPage("/events/2026-11-14-kahoku-kids-iot-programming/");
    expect(detail).toContain("このイベントは終了しました。");
  });

  it("イベント詳細：日時の範囲、会場またはオンライン、申込、主催ラボ", () => {
    const html = readPage("/events/2027-01-20-kawakami-smart-agri-seminar/");
    expect(html).toContain("2027年1月20日（水）13:30〜16:30");
    expect(html).toContain('href="/labs/kawakami/"');
    expect(html).toContain("参加申込");
  });

  it("ラボのページ：プロフィールとそのラボのお知らせ・イベント。記事のないラボには案内文", () => {
    const nagaoka = readPage("/labs/nagaoka/");
    expect(nagaoka).toContain("長岡市IoT推進ラボ");
    expect(nagaoka).toContain("2026-03-18-nagaoka-smart-snow-removal-report");
    const quiet = readPage("/labs/kota/");
    expect(quiet).toContain("このラボに関するお知らせはまだありません。");
    expect(quiet).toContain("このラボが主催するイベントはまだありません。");
  });

  it("ラボ一覧は地域・都道府県別、選定時期別、テーマ別", () => {
    const byRegion = readPage("/labs/");
    expect(byRegion.indexOf("北海道（")).toBeLessThan(byRegion.indexOf("九州・沖縄（"));
    expect(byRegion).toContain('<h3 class="c-subheading">新潟県</h3>');
    expect(readPage("/labs/rounds/")).toContain("第3弾（");
    expect(readPage("/labs/themes/")).toContain("除雪・雪対策（");
  });

  it("下書きはどこにも出ない", () => {
    expect(pageExists("/news/2026-11-25-draft-unpublished-recruitment/")).toBe(false);
    expect(pageExists("/events/2027-03-25-fukuoka-pref-draft-event/")).toBe(false);
    const everything = allFiles(siteDir()).map((f) => readFileSync(f, "utf8")).join("\n");
    expect(everything).not.toContain("【下書き】");
  });

  it("すべてのページに SEO の基本（title, description, canonical, OGP, lang=ja）", () => {
    // The admin is not a public page (noindex, its own shell).
    for (const file of allFiles(siteDir()).filter((f) => f.endsWith(".html") && !f.includes(`${path.sep}admin${path.sep}`))) {
      const html = readFileSync(file, "utf8");
      const rel = path.relative(siteDir(), file);
      expect(html, rel).toMatch(/<html lang="ja"/);
      expect(html, rel).toMatch(/<title>[^<]+<\/title>/);
      expect(html, rel).toMatch(/<meta name="description" content="[^"]+">/);
      expect(html, rel).toMatch(/<meta property="og:title" content="[^"]+">/);
      if (!/noindex/.test(html)) expect(html, rel).toMatch(/<link rel="canonical" href="https:\/\/[^"]+">/);
    }
  });

  it("sitemap.xml は公開ページを列挙し、robots.txt がそれを指す", () => {
    const xml = readPage("/sitemap.xml");
    expect(xml).toContain("<loc>https://iot-lab-portal.example.jp/labs/nagaoka/</loc>");
    expect(xml).toContain("<loc>https://iot-lab-portal.example.jp/news/page/2/</loc>");
    expect(xml).not.toContain("draft");
    expect(xml).not.toContain("/search/");
    expect(readPage("/robots.txt")).toContain("Sitemap: https://iot-lab-portal.example.jp/sitemap.xml");
  });

  it("同じ内容と同じ now からは同じサイトができる", async () => {
    const again = await runBuild();
    expect(again.ok).toBe(true);
    const a = allFiles(siteDir()).map((f) => path.relative(siteDir(), f));
    const b = allFiles(again.output).map((f) => path.relative(again.output, f));
    expect(b).toEqual(a);
    for (const rel of a) {
      expect(readFileSync(path.join(again.output, rel)).equals(readFileSync(path.join(siteDir(), rel))), rel).toBe(true);
    }
  });

  it("now が変わるとイベントの区分も変わる", async () => {
    const later = await runBuild({ now: "2027-06-01T00:00:00+09:00" });
    expect(later.ok).toBe(true);
    expect(readPage("/events/", later.output)).toContain("現在、開催予定のイベントはありません。");
    expect(readPage("/events/past/", later.output)).toContain("2027-03-19-minamishimabara-tourism-data-workshop");
  });
});

export function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name))
    .sort();
}
