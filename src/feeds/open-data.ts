import { stringify } from "csv-stringify/sync";
import type { SiteSettings } from "../data/reference.ts";
import type { Lab } from "../content/site.ts";
import { isoDate } from "../filters/dates.ts";

/** One row per lab: the fields other sites (e.g. the parent IoT推進ラボ) can reuse. */
function record(site: SiteSettings, lab: Lab) {
  return {
    id: lab.id,
    name: lab.name,
    prefectureCode: lab.prefecture.code,
    prefecture: lab.prefecture.name,
    municipality: lab.municipality ?? "",
    region: lab.prefecture.region.name,
    round: lab.round.number,
    roundName: lab.round.name,
    selectedOn: isoDate(lab.selectedOn),
    themes: lab.themes.map((t) => t.name),
    secretariat: lab.secretariat,
    email: lab.contact.email,
    phone: lab.contact.phone ?? "",
    website: lab.website ?? "",
    url: new URL(lab.url, site.url).toString(),
  };
}

export function labsJson(site: SiteSettings, labs: Lab[], generatedAt: string): string {
  return `${JSON.stringify(
    {
      title: `${site.name} 地方版ラボ一覧`,
      publisher: site.publisher,
      license: "https://creativecommons.org/licenses/by/4.0/deed.ja",
      source: site.url,
      generatedAt,
      count: labs.length,
      labs: labs.map((l) => record(site, l)),
    },
    null,
    2,
  )}\n`;
}

const CSV_COLUMNS: [keyof ReturnType<typeof record>, string][] = [
  ["id", "ID"],
  ["name", "ラボ名"],
  ["prefectureCode", "都道府県コード"],
  ["prefecture", "都道府県"],
  ["municipality", "市区町村"],
  ["region", "地方"],
  ["round", "選定回"],
  ["roundName", "選定"],
  ["selectedOn", "選定日"],
  ["themes", "テーマ"],
  ["secretariat", "事務局"],
  ["email", "メールアドレス"],
  ["phone", "電話番号"],
  ["website", "ウェブサイト"],
  ["url", "掲載ページ"],
];

/** CSV with a BOM so Excel (as used in municipalities) opens the Japanese text correctly. */
export function labsCsv(site: SiteSettings, labs: Lab[]): string {
  const rows = labs.map((l) => {
    const r = record(site, l);
    return CSV_COLUMNS.map(([key]) => (Array.isArray(r[key]) ? (r[key] as string[]).join("、") : String(r[key])));
  });
  return `\uFEFF${stringify([CSV_COLUMNS.map(([, label]) => label), ...rows], { record_delimiter: "windows" })}`;
}
