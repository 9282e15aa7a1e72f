/**
 * Keeps the Japanese documents true: the parts of docs/*.md that describe the code (URL scheme,
 * page tree, content model, navigation, reference lists, roles, the manual's field tables) are
 * generated from the same sources the build and the CMS use, between markers
 *
 *   <!-- generated:NAME:start -->  …  <!-- generated:NAME:end -->
 *
 * and error messages quoted in the manual (code spans between <!-- checked-messages:start -->
 * and <!-- checked-messages:end -->) must exist in the code or in the CMS's Japanese phrases.
 *
 *   node scripts/docs.ts --write   rewrite the generated parts
 *   node scripts/docs.ts --check   exit 1 when a generated part is stale or a quoted message is gone
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { DateTime } from "luxon";
import { ACCESS_FILE, accessFields, ROLES } from "../src/access/schema.ts";
import { cmsConfig } from "../src/cms/config.ts";
import { japanesePhrases, type Phrases } from "../src/cms/locale.ts";
import { buildSiteContent, entryUrl, paginate } from "../src/content/site.ts";
import { loadReferenceData, type ReferenceData } from "../src/data/reference.ts";
import { ROOT } from "../src/options.ts";
import { virtualPages } from "../src/pages.ts";
import { collectionSpecs, type CollectionName, type CollectionSpec } from "../src/schema/collections.ts";
import type { DecapField, Fields } from "../src/schema/fields.ts";
import { siteSettingsFields } from "../src/schema/settings.ts";

// ---------------------------------------------------------------------------------------------
// Markers

const START = (name: string) => `<!-- generated:${name}:start -->`;
const END = (name: string) => `<!-- generated:${name}:end -->`;
const MARKER = /<!-- generated:([a-z0-9-]+):start -->/g;

/** Which generated sections each document must contain (a deleted marker is an error too). */
export const REQUIRED_SECTIONS: Record<string, string[]> = {
  "docs/site-structure.md": ["page-tree", "urls", "navigation", "content-model", "reference-data", "roles"],
  "docs/manual/03-news.md": ["fields-news"],
  "docs/manual/04-events.md": ["fields-events"],
  "docs/manual/05-labs.md": ["fields-labs"],
};

export interface Context {
  root: string;
  ref: ReferenceData;
  specs: Record<CollectionName, CollectionSpec>;
  cms: Record<string, unknown>;
}

export function loadContext(root: string = ROOT): Context {
  const ref = loadReferenceData(path.join(root, "_data"));
  const cms = cmsConfig(ref, {
    backend: ref.cms,
    localProxyUrl: "http://localhost:8081/api/v1",
    siteUrl: ref.site.url,
    // Only the date filters of the events list depend on "now"; they are not documented.
    now: DateTime.fromISO("2026-01-01T00:00:00", { zone: "Asia/Tokyo" }),
  });
  return { root, ref, specs: collectionSpecs(ref), cms };
}

// ---------------------------------------------------------------------------------------------
// Markdown helpers

/** A table cell: pipes escaped, line breaks flattened. */
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ").trim();
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)].join("\n");

// ---------------------------------------------------------------------------------------------
// Zod: maximum lengths (the CMS field definitions do not carry them)

type AnyZod = { _zod: { def: { type: string } & Record<string, unknown> }; maxLength?: number | null };

function wrapped(schema: AnyZod): AnyZod[] {
  const def = schema._zod.def;
  const out: unknown[] = [];
  switch (def.type) {
    case "pipe":
      out.push(def.in, def.out);
      break;
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "nonoptional":
    case "readonly":
    case "catch":
      out.push(def.innerType);
      break;
    case "array":
      out.push(def.element);
      break;
    case "intersection":
      out.push(def.left, def.right);
      break;
    case "union":
      out.push(...(def.options as unknown[]));
      break;
  }
  return out.filter((s): s is AnyZod => typeof s === "object" && s !== null && "_zod" in s);
}

/** Every schema reachable through wrappers (optional, pipe, default, array, intersection…). */
function reachable(schema: AnyZod): AnyZod[] {
  const seen: AnyZod[] = [];
  const queue = [schema];
  while (queue.length) {
    const s = queue.shift()!;
    if (seen.includes(s)) continue;
    seen.push(s);
    queue.push(...wrapped(s));
  }
  return seen;
}

function maxLengthAt(schema: AnyZod, keys: string[]): number | undefined {
  let current: AnyZod[] = [schema];
  for (const key of keys) {
    const next: AnyZod[] = [];
    for (const s of current.flatMap(reachable)) {
      if (s._zod.def.type === "object") {
        const shape = s._zod.def.shape as Record<string, AnyZod> | undefined;
        if (shape?.[key]) next.push(shape[key]);
      }
    }
    current = next;
  }
  for (const s of current.flatMap(reachable)) if (typeof s.maxLength === "number") return s.maxLength;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The content model

type Options = { value: string | number; label: string }[];

function describeOptions(options: Options): string {
  const ints = options.every((o, i) => typeof o.value === "number" && o.label === String(o.value) && (i === 0 || o.value === (options[i - 1]!.value as number) + 1));
  if (ints && options.length > 2) return `${options[0]!.label}〜${options[options.length - 1]!.label}`;
  return options.map((o) => (String(o.value) === o.label ? o.label : `${o.label}（${code(String(o.value))}）`)).join("、");
}

function typeOf(f: DecapField, collections: Record<string, string>): string {
  switch (f.widget) {
    case "string":
      return "1行テキスト";
    case "text":
      return "複数行テキスト";
    case "boolean":
      return `オン／オフ（最初は${f.default === true ? "オン" : "オフ"}）`;
    case "select":
      return f.multiple ? "選択（複数可）" : "選択";
    case "relation":
      return `${collections[String(f.collection)] ?? String(f.collection)}から選択${f.multiple ? "（複数可）" : ""}`;
    case "datetime":
      return f.time_format === false ? "日付" : "日時（日本時間）";
    case "object":
      return "グループ";
    case "list":
      return "繰り返し";
    case "image":
      return "画像ファイル";
    case "file":
      return "ファイル";
    case "markdown":
      return "本文（Markdown）";
    default:
      return f.widget;
  }
}

function rulesOf(f: DecapField, maxLength: number | undefined): string {
  const rules: string[] = [];
  if (Array.isArray(f.options)) rules.push(`選択肢: ${describeOptions(f.options as Options)}`);
  if (Array.isArray(f.pattern)) rules.push(`${String(f.pattern[1])}（${code(String(f.pattern[0]))}）`);
  if (f.widget === "datetime") rules.push(f.time_format === false ? `形式 ${code("YYYY-MM-DD")}` : `形式 ${code("YYYY-MM-DDTHH:mm:ss+09:00")}`);
  if (f.widget === "relation") rules.push(`値はラボID（${code(String(f.value_field))}）`);
  if (typeof f.min === "number") rules.push(`${f.min}${f.widget === "list" ? "件" : "個"}以上`);
  if (typeof f.max === "number") rules.push(`${f.max}${f.widget === "list" ? "件" : "個"}まで`);
  if (maxLength !== undefined) rules.push(`${maxLength}字まで`);
  const processing = f.media_processing as { width?: number } | undefined;
  if (processing?.width) rules.push(`アップロード時に幅${processing.width}pxまで縮小し、位置情報などのメタデータを削除`);
  return rules.join("。");
}

interface FieldRow {
  key: string;
  label: string;
  type: string;
  required: string;
  rules: string;
  hint: string;
  /** The facts behind the strings, for the manual's plainer table. */
  field?: DecapField;
  depth: number;
  inList: boolean;
  requiredRaw: boolean;
  altText: boolean;
  maxLength?: number;
}

const ALT_RULE = "画像を指定したら必須（「装飾のための画像」をオンにした場合を除く。公開前の検査で確認）";

/**
 * One row per field, nested fields (groups, lists) as dotted keys. Top-level required-ness is
 * what the build enforces; nested required fields of an optional group are marked ＊.
 */
function fieldRows(fields: Fields, ctx: Context, zodOf: (keys: string[]) => number | undefined = () => undefined): FieldRow[] {
  const collections = Object.fromEntries(Object.values(ctx.specs).map((s) => [s.name, s.label]));
  const rows: FieldRow[] = [];
  const visit = (f: DecapField, keys: string[], topRequired: boolean | undefined, parentOptional: boolean, inList: boolean, siblings: DecapField[] = []) => {
    const required = topRequired ?? f.required !== false;
    // Alt text: optional in the CMS (so the image may be marked decorative), required at build.
    const altText = f.name === "alt" && siblings.some((s) => s.name === "decorative");
    const maxLength = f.widget === "string" || f.widget === "text" ? zodOf(keys.filter((k) => k !== "[]")) : undefined;
    let rules = rulesOf(f, maxLength);
    if (altText) rules = [ALT_RULE, rules].filter(Boolean).join("。");
    rows.push({
      key: keys.join("."),
      label: f.label,
      type: typeOf(f, collections),
      required: altText ? "条件付き" : required ? (parentOptional ? "必須＊" : "必須") : "任意",
      rules,
      hint: typeof f.hint === "string" ? f.hint : "",
      field: f,
      depth: keys.filter((k) => k !== "[]").length - 1,
      inList,
      requiredRaw: required,
      altText,
      maxLength,
    });
    const nested = f.fields as DecapField[] | undefined;
    if (nested) {
      const list = f.widget === "list";
      const sub = list ? [...keys, "[]"] : keys;
      for (const n of nested) visit(n, [...sub, n.name], undefined, parentOptional || !required || list, list, nested);
    }
  };
  for (const [name, spec] of Object.entries(fields)) {
    visit(spec.decap(name), [name], spec.required, false, false);
  }
  return rows.map((r) => ({ ...r, key: r.key.replace(/\.\[\]\./g, "[].") }));
}

function fieldTable(rows: FieldRow[]): string {
  return table(
    ["項目名", "キー", "種類", "必須", "入力規則・選択肢", "説明（編集画面のヒント）"],
    rows.map((r) => [r.label, code(r.key), r.type, r.required, r.rules, r.hint]),
  );
}

/** The manual's wording: no keys, regexes or formats; what to type and what to choose from. */
function plainRules(r: FieldRow): string {
  const f = r.field;
  if (!f) return r.rules;
  const out: string[] = [];
  if (r.altText) out.push("画像を入れたら必須（「装飾のための画像」をオンにした場合を除く）");
  if (Array.isArray(f.options)) {
    const options = f.options as Options;
    out.push(options.length > 12 ? `${options.length}件から選ぶ` : `選択肢: ${options.map((o) => o.label).join("、")}`);
  }
  if (f.widget === "relation") out.push("名前の一部を入力して候補から選ぶ");
  if (Array.isArray(f.pattern) && f.widget !== "image" && f.widget !== "file") out.push(String(f.pattern[1]));
  if (f.widget === "datetime") out.push(f.time_format === false ? "日付を選ぶ" : "日付と時刻（日本時間）を選ぶ");
  if (typeof f.min === "number" && typeof f.max === "number") out.push(`${f.min}〜${f.max}${f.widget === "list" ? "件" : "個"}`);
  else if (typeof f.max === "number") out.push(`${f.max}${f.widget === "list" ? "件" : "個"}まで`);
  else if (typeof f.min === "number") out.push(`${f.min}${f.widget === "list" ? "件" : "個"}以上`);
  if (r.maxLength !== undefined) out.push(`${r.maxLength}字まで`);
  return out.join("。");
}

function plainRequired(r: FieldRow): string {
  if (r.altText) return "条件付き";
  if (!r.requiredRaw) return "任意";
  if (r.depth === 0) return "必須";
  return r.inList ? "必須（1件ごと）" : r.required === "必須＊" ? "必須（この欄を使うとき）" : "必須";
}

const SLUG_RULES: Record<string, string> = {
  "{{fields.date}}": "掲載日（例: `2026-11-26.md`。同じ日の2件目以降は `2026-11-26-1.md` のように番号が付く）",
  "{{fields.start | date('YYYY-MM-DD')}}": "開始日（例: `2027-02-05.md`。同じ日の2件目以降は `-1` などが付く）",
  "{{fields.id}}": "ラボID（例: `nagaoka.md`）",
};

function collectionMeta(spec: CollectionSpec, ctx: Context): string {
  const config = (ctx.cms.collections as Record<string, unknown>[]).find((c) => c.name === spec.name)!;
  const fields = config.fields as DecapField[];
  const labelOf = (name: string) => fields.find((f) => f.name === name)?.label ?? name;
  const slug = config.slug as string | undefined;
  if (slug && !SLUG_RULES[slug]) {
    throw new Error(`scripts/docs.ts: ファイル名の規則「${slug}」（${spec.name}）の説明が SLUG_RULES にありません / describe the slug template in SLUG_RULES`);
  }
  const lines = [
    `- 説明（編集画面に表示）: ${spec.description}`,
    `- 保存場所: ${code(`content/${spec.folder}/`)}（1件 = 1つの Markdown ファイル。項目は YAML のフロントマター、本文はその後）`,
    `- ファイル名: ${slug ? SLUG_RULES[slug] : "既存のファイルだけを編集（編集画面からは作成・削除しない）"}`,
    `- 公開URL: ${code(entryUrl(`${spec.folder}/{ファイル名}.md`))}　プレビューのURL: ${code(`/${String(config.preview_path)}`)}`,
    `- 編集画面の一覧の表示: ${code(String(config.summary))}、並べ替え: ${((config.sortable_fields as string[]) ?? []).map(labelOf).join("・")}`,
  ];
  const filters = (config.view_filters as { label: string }[] | undefined) ?? [];
  const groups = (config.view_groups as { label: string }[] | undefined) ?? [];
  if (filters.length) lines.push(`- 絞り込み: ${filters.map((f) => f.label).join("・")}`);
  if (groups.length) lines.push(`- グルーピング: ${groups.map((g) => g.label).join("・")}`);
  lines.push(`- 新規作成: ${config.create === false ? "不可" : "可"}、削除: ${config.delete === false ? "不可" : "可（権限による）"}`);
  return lines.join("\n");
}

function contentModel(ctx: Context): string {
  const out: string[] = [];
  for (const spec of Object.values(ctx.specs)) {
    out.push(`### ${spec.label}（${spec.name}）`, "", collectionMeta(spec, ctx), "");
    const rows = fieldRows(spec.fields, ctx, (keys) => maxLengthAt(spec.fields[keys[0]!]!.zod as unknown as AnyZod, keys.slice(1)));
    rows.push({
      key: "body",
      label: spec.body.label,
      type: "本文（Markdown）",
      required: spec.body.required ? "必須" : "任意",
      rules: "見出し・太字・斜体・リンク・箇条書き・番号付きリスト・引用。HTMLタグ、javascript: などのリンク、サイト外の画像は使えない",
      hint: spec.body.hint,
      depth: 0,
      inList: false,
      requiredRaw: spec.body.required,
      altText: false,
    });
    out.push(fieldTable(rows), "");
  }
  out.push(`### サイト設定（${code("_data/site.json")}）`, "");
  out.push("- 編集画面の「サイト設定」→「サイトの基本設定とメニュー」。管理者だけが変更できます。", "");
  out.push(fieldTable(fieldRows(siteSettingsFields, ctx, (keys) => maxLengthAt(siteSettingsFields[keys[0]!]!.zod as unknown as AnyZod, keys.slice(1)))), "");
  out.push(`### アカウントと権限（${code(ACCESS_FILE)}）`, "");
  out.push("- 編集画面の「アカウントと権限」。管理者だけが変更できます（権限チェックが他の人の変更を止めます）。", "");
  out.push(fieldTable(fieldRows(accessFields, ctx, (keys) => maxLengthAt(accessFields[keys[0]!]!.zod as unknown as AnyZod, keys.slice(1)))), "");
  // Optional groups with required fields inside: Decap asks for those even when the group is empty.
  const strict = Object.values(ctx.specs).flatMap((spec) =>
    Object.entries(spec.fields)
      .map(([name, f]) => f.decap(name))
      .filter((f) => f.widget === "object" && f.required === false && (f.fields as DecapField[]).some((n) => n.required !== false))
      .map((f) => `${spec.label}の「${f.label}」`),
  );
  out.push(
    "＊ そのグループや繰り返しの1件を使うときに必須の項目です。公開前の検査（ビルド）は、任意のグループが空ならその中も空でよいと判断します。" +
      (strict.length
        ? `ただし編集画面（Decap CMS）は、任意のグループを空のままにしても中の必須項目の入力を求めます。現在これに当たるのは${strict.join("、")}です（[マニュアル: エラーメッセージ](manual/10-errors.md#任意のグループなのに必須と言われる)）。`
        : ""),
  );
  return out.join("\n");
}

/** The manual's shorter table for one collection: what to type where. */
function manualFields(name: CollectionName, ctx: Context): string {
  const spec = ctx.specs[name];
  const rows = fieldRows(spec.fields, ctx, (keys) => maxLengthAt(spec.fields[keys[0]!]!.zod as unknown as AnyZod, keys.slice(1)));
  return table(
    ["項目", "必須", "書き方", "入力の決まり"],
    [
      ...rows.map((r) => [`${"　".repeat(r.depth)}${r.depth ? "└ " : ""}${r.label}`, plainRequired(r), r.hint, plainRules(r)]),
      [spec.body.label, spec.body.required ? "必須" : "任意", spec.body.hint, "見出し・太字・リンク・箇条書き・引用が使える。HTMLタグは使えない"],
    ],
  );
}

// ---------------------------------------------------------------------------------------------
// Pages and URLs

type Group = "トップ" | "インフォメーション" | "イベント" | "地方版ラボ" | "固定ページ" | "共通" | "機械可読・配信" | "編集";

interface PageInfo {
  group: Group;
  title: string;
  shows: string;
  data: string;
}

/** What each built-in page (src/pages.ts) is; generation fails when one is missing here. */
const PAGE_INFO: Record<string, PageInfo> = {
  home: {
    group: "トップ",
    title: "トップページ",
    shows: "制度の紹介、おすすめ情報（最大4件）、新着情報（5件）、開催予定のイベント（4件）、地域別のラボ数",
    data: "インフォメーション（おすすめ・掲載日順）、イベント（開催予定）、地方版ラボ（地域別）",
  },
  "news-list": {
    group: "インフォメーション",
    title: "インフォメーション一覧",
    shows: "お知らせを新しい順に20件ずつ。カテゴリの切り替え（件数つき）、ページ送り、フィードへのリンク",
    data: "インフォメーション（公開中のもの）、カテゴリ（`_data/newsCategories.json`）",
  },
  "event-list": {
    group: "イベント",
    title: "イベント一覧（開催予定／過去）",
    shows: "開催予定（開始の早い順）と過去のイベント（新しい順）を20件ずつ。件数と基準日、カレンダー（.ics）とフィードへのリンク",
    data: "イベント（終了日時がビルド時点より後なら「開催予定」）",
  },
  "labs-by-region": {
    group: "地方版ラボ",
    title: "地方版ラボ一覧（地域別）",
    shows: "地方ごと・都道府県ごとのラボ、地域へのページ内リンク、表示切り替えタブ",
    data: "地方版ラボ、地方・都道府県（`_data/regions.json`・`_data/prefectures.json`）",
  },
  "labs-by-round": {
    group: "地方版ラボ",
    title: "地方版ラボ一覧（選定時期別）",
    shows: "第1弾〜の選定ごとのラボ",
    data: "地方版ラボ、選定（`_data/rounds.json`）",
  },
  "labs-by-theme": {
    group: "地方版ラボ",
    title: "地方版ラボ一覧（テーマ別）",
    shows: "取組テーマごとのラボ（1つのラボが複数のテーマに出る）",
    data: "地方版ラボ、テーマ（`_data/themes.json`）",
  },
  search: {
    group: "共通",
    title: "サイト内検索",
    shows: "キーワード検索と、種類・地方・都道府県・テーマでの絞り込み（検索エンジンには登録しない）",
    data: "ビルド時に作る検索索引（Pagefind、`/pagefind/`）。JavaScript はこのページだけ",
  },
  sitemap: {
    group: "共通",
    title: "サイトマップ",
    shows: "すべての固定ページ、一覧ページ、カテゴリ、地方版ラボへのリンク",
    data: "固定ページ、カテゴリ、地方版ラボ",
  },
  "not-found": {
    group: "共通",
    title: "ページが見つかりません（404）",
    shows: "トップ・サイトマップ・検索への案内（検索エンジンには登録しない）",
    data: "なし（公開サーバーが存在しないURLに返す）",
  },
  "sitemap-xml": {
    group: "機械可読・配信",
    title: "XMLサイトマップ",
    shows: "検索エンジン向けの全ページのURL（お知らせは更新日つき）",
    data: "一覧ページ、固定ページ、インフォメーション、イベント、地方版ラボ",
  },
  robots: {
    group: "機械可読・配信",
    title: "robots.txt",
    shows: "`/admin/` をクロール対象から外し、XMLサイトマップの場所を示す",
    data: "サイト設定の公開URL",
  },
  "news-feed": {
    group: "機械可読・配信",
    title: "インフォメーションのフィード（Atom）",
    shows: "新しい50件のタイトル・要約・カテゴリ",
    data: "インフォメーション",
  },
  "events-feed": {
    group: "機械可読・配信",
    title: "イベントのフィード（Atom）",
    shows: "開催予定のすべてと、過去の新しい20件",
    data: "イベント",
  },
};

const ENTRY_INFO: Record<CollectionName, PageInfo> = {
  news: {
    group: "インフォメーション",
    title: "お知らせの詳細",
    shows: "タイトル、掲載日、カテゴリ、おすすめ、メイン画像、本文、添付ファイル（形式・サイズつき）、関連する地方版ラボ",
    data: "`content/news/*.md`",
  },
  events: {
    group: "イベント",
    title: "イベントの詳細",
    shows: "開催中・終了の表示、日時、会場／オンライン、カレンダー登録、主催ラボ、参加費、定員、申込（締切後・終了後は受付終了）、本文、添付ファイル",
    data: "`content/events/*.md`",
  },
  labs: {
    group: "地方版ラボ",
    title: "地方版ラボの詳細",
    shows: "ロゴ、紹介文、地域、選定、テーマ、事務局、問い合わせ先、ウェブサイト、本文、活動写真、添付ファイル、このラボのお知らせ・イベント",
    data: "`content/labs/*.md`（お知らせは「関連する地方版ラボ」、イベントは「主催ラボ」で結び付く）",
  },
  pages: {
    group: "固定ページ",
    title: "固定ページ",
    shows: "タイトルと本文（ウェブアクセシビリティ方針のページは試験結果の表も）",
    data: "`content/pages/*.md`（例: about, terms, privacy, accessibility, contact）",
  },
};

/** Files that are not pages; each is checked against the code that writes it. */
const OTHER_URLS: { url: string; title: string; shows: string; data: string; source: string; needle: string; group: Group }[] = [
  { url: "/events/events.ics", title: "イベントのカレンダー（iCalendar）", shows: "すべてのイベント", data: "イベント", source: "src/feeds/index.ts", needle: '"events/events.ics"', group: "機械可読・配信" },
  { url: "/events/{ファイル名}/event.ics", title: "1件のイベントのカレンダー登録用ファイル", shows: "そのイベントだけ", data: "イベント", source: "src/feeds/index.ts", needle: "event.ics", group: "機械可読・配信" },
  { url: "/labs/labs.json", title: "地方版ラボのオープンデータ（JSON）", shows: "全ラボの基本情報", data: "地方版ラボ", source: "src/feeds/index.ts", needle: '"labs/labs.json"', group: "機械可読・配信" },
  { url: "/labs/labs.csv", title: "地方版ラボのオープンデータ（CSV）", shows: "全ラボの基本情報（表計算ソフト向け）", data: "地方版ラボ", source: "src/feeds/index.ts", needle: '"labs/labs.csv"', group: "機械可読・配信" },
  { url: "/pagefind/", title: "検索索引", shows: "サイト内検索が読み込む索引（ビルド時に生成）", data: "各ページの本文", source: "src/build/search-worker.ts", needle: '"pagefind"', group: "機械可読・配信" },
  { url: "/img/", title: "表示用の画像", shows: "アップロードした写真を縮小・変換した AVIF・WebP・JPEG（元の写真は公開しない）", data: "`content/media/` の画像", source: "src/build/images.ts", needle: 'urlPath: "/img/"', group: "機械可読・配信" },
  { url: "/media/{ファイル名}", title: "添付ファイル", shows: "記事に添付した PDF などのファイル（使われているものだけ）", data: "`content/media/` のファイル", source: "src/eleventy.config.ts", needle: "publishedFiles(site)", group: "機械可読・配信" },
  { url: "/build-hash.txt", title: "サイトの版の指紋", shows: "公開中のファイル一式のハッシュ（定時の公開で変更がなければ公開を省く）", data: "生成したサイト", source: "src/build/site-hash.ts", needle: '"build-hash.txt"', group: "機械可読・配信" },
  { url: "/admin/", title: "編集画面（Decap CMS）", shows: "ログインと、コンテンツの作成・編集・レビュー依頼（検索エンジンには登録しない）", data: "`admin/`、設定はスキーマから生成", source: "src/eleventy.config.ts", needle: 'permalink: "/admin/"', group: "編集" },
  { url: "/admin/config.yml", title: "編集画面の設定", shows: "コレクション・項目・公開の流れの設定", data: "`src/cms/config.ts`（スキーマから生成）", source: "src/eleventy.config.ts", needle: '"admin/config.yml"', group: "編集" },
];

interface UrlRow {
  id: string;
  parent?: string;
  group: Group;
  urls: string[];
  title: string;
  shows: string;
  data: string;
  source: string;
}

export function urlRows(ctx: Context): UrlRow[] {
  const pages = virtualPages();
  const names = pages.map((p) => p.path.replace(/^_virtual\//, "").replace(/\.njk$/, ""));
  const undocumented = names.filter((n) => !PAGE_INFO[n]);
  const gone = Object.keys(PAGE_INFO).filter((n) => !names.includes(n));
  if (undocumented.length || gone.length) {
    throw new Error(
      [
        ...undocumented.map((n) => `src/pages.ts のページ「${n}」の説明が scripts/docs.ts の PAGE_INFO にありません / describe page "${n}" in PAGE_INFO`),
        ...gone.map((n) => `scripts/docs.ts の PAGE_INFO の「${n}」は src/pages.ts にありません / PAGE_INFO lists "${n}", which src/pages.ts no longer has`),
      ].join("\n"),
    );
  }
  // The lists' URLs come from the same code that paginates them, run on no entries.
  const empty = buildSiteContent([], ctx.ref, { now: DateTime.fromISO("2026-01-01T00:00:00", { zone: "Asia/Tokyo" }), includeDrafts: false });
  const nextPage = (base: string) => paginate([1, 2], 1, base, "", "")[1]!.url.replace(/\/2\/$/, "/{n}/");
  const categoryIds = ctx.ref.newsCategories.map((c) => c.id);
  const generic = (url: string) => {
    const id = categoryIds.find((c) => url === `/news/category/${c}/`);
    return id ? "/news/category/{カテゴリID}/" : url;
  };
  const listUrls = (lists: { url: string }[]) => [...new Set(lists.map((l) => generic(l.url)))];

  const rows: UrlRow[] = [];
  const parentOf: Record<string, string> = {
    "news-list": "home",
    "event-list": "home",
    "labs-by-region": "home",
    "labs-by-round": "labs-by-region",
    "labs-by-theme": "labs-by-region",
    search: "home",
    sitemap: "home",
    "not-found": "home",
  };
  for (const [i, p] of pages.entries()) {
    const name = names[i]!;
    const info = PAGE_INFO[name]!;
    const permalink = String(p.data.permalink);
    let urls = [permalink];
    let shows = info.shows;
    if (name === "news-list") {
      urls = listUrls(empty.newsListPages).flatMap((b) => [b, nextPage(b)]);
      shows = `${shows}。カテゴリID: ${ctx.ref.newsCategories.map((c) => `${code(c.id)}（${c.name}）`).join("、")}`;
    } else if (name === "event-list") {
      urls = listUrls(empty.eventListPages).flatMap((b) => [b, nextPage(b)]);
    }
    rows.push({ id: name, parent: parentOf[name], group: info.group, urls, title: info.title, shows, data: info.data, source: `src/templates/pages/${name}.njk` });
  }
  const entryParent: Record<CollectionName, string> = { news: "news-list", events: "event-list", labs: "labs-by-region", pages: "home" };
  for (const spec of Object.values(ctx.specs)) {
    const info = ENTRY_INFO[spec.name];
    rows.push({
      id: `entry-${spec.name}`,
      parent: entryParent[spec.name],
      group: info.group,
      urls: [entryUrl(`${spec.folder}/{ファイル名}.md`)],
      title: info.title,
      shows: info.shows,
      data: info.data,
      source: `src/templates/entries/${spec.name}.njk`,
    });
  }
  const missing: string[] = [];
  for (const [i, o] of OTHER_URLS.entries()) {
    const file = path.join(ctx.root, o.source);
    if (!existsSync(file) || !readFileSync(file, "utf8").includes(o.needle)) {
      missing.push(`${o.url}: ${o.source} に ${o.needle} が見つかりません。scripts/docs.ts の OTHER_URLS を直してください / not found in ${o.source}`);
    }
    rows.push({ id: `file-${i}`, group: o.group, urls: [o.url], title: o.title, shows: o.shows, data: o.data, source: o.source });
  }
  if (missing.length) throw new Error(missing.join("\n"));
  return rows;
}

function urlTable(ctx: Context): string {
  const rows = urlRows(ctx);
  const order: Group[] = ["トップ", "インフォメーション", "イベント", "地方版ラボ", "固定ページ", "共通", "機械可読・配信", "編集"];
  rows.sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group));
  return table(
    ["区分", "URL", "ページ", "表示する内容", "データの出どころ", "テンプレート・生成元"],
    rows.map((r) => [r.group, r.urls.map(code).join("<br>"), r.title, r.shows, r.data, code(r.source)]),
  );
}

function pageTree(ctx: Context): string {
  const rows = urlRows(ctx).filter((r) => r.group !== "機械可読・配信" && r.group !== "編集");
  const label = (r: UrlRow) => `"${r.title}<br>${r.urls[0]!.replace(/[{}]/g, (c) => (c === "{" ? "｛" : "｝"))}"`;
  const id = (s: string) => s.replace(/[^a-zA-Z0-9]/g, "_");
  const lines = ["```mermaid", "flowchart LR"];
  for (const r of rows) lines.push(`  ${id(r.id)}[${label(r)}]`);
  for (const r of rows) if (r.parent) lines.push(`  ${id(r.parent)} --> ${id(r.id)}`);
  const files = urlRows(ctx).filter((r) => r.group === "機械可読・配信" || r.group === "編集");
  lines.push('  subgraph files["機械可読・配信・編集"]');
  for (const r of files) lines.push(`    ${id(r.id)}[${label(r)}]`);
  lines.push("  end", "```");
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Navigation, reference lists, roles

function titleOfPage(ctx: Context, url: string): string | undefined {
  const slug = /^\/([a-z0-9-]+)\/$/.exec(url)?.[1];
  if (!slug) return undefined;
  const file = path.join(ctx.root, "content/pages", `${slug}.md`);
  if (!existsSync(file)) return undefined;
  const title = /^title:\s*(.+)$/m.exec(readFileSync(file, "utf8"))?.[1]?.trim().replace(/^["']|["']$/g, "");
  return title ? `固定ページ「${title}」（${code(`content/pages/${slug}.md`)}）` : undefined;
}

function destination(ctx: Context, url: string): string {
  if (/^https?:\/\//.test(url)) return "外部サイト（新しいタブでは開かず、「外部サイト」と表示）";
  const page = titleOfPage(ctx, url);
  if (page) return page;
  const row = urlRows(ctx).find((r) => r.urls.includes(url));
  return row ? row.title : "（該当するページがありません）";
}

function navigation(ctx: Context): string {
  const s = ctx.ref.site;
  const list = (links: { label: string; url: string }[]) => table(["表示名", "リンク先", "行き先"], links.map((l) => [l.label, code(l.url), destination(ctx, l.url)]));
  return [
    `サイト名「${s.name}」（${code(s.url)}）、運営: ${s.publisher}、問い合わせ: ${s.contactEmail}、親サイト: [${s.parentSite.name}](${s.parentSite.url})`,
    "",
    "#### グローバルナビゲーション（ヘッダー）",
    "",
    list(s.navigation),
    "",
    "#### フッターのリンク",
    "",
    list(s.footerLinks),
    "",
    "#### 関連サイト（フッター）",
    "",
    list(s.relatedSites),
  ].join("\n");
}

function referenceData(ctx: Context): string {
  const r = ctx.ref;
  const prefectures = (region: string) =>
    r.prefectures
      .filter((p) => p.region === region)
      .map((p) => `${p.name}（${p.code}）`)
      .join("、");
  return [
    "#### インフォメーションのカテゴリ（`_data/newsCategories.json`）",
    "",
    table(["ID", "名前", "一覧のURL"], r.newsCategories.map((c) => [code(c.id), c.name, code(`/news/category/${c.id}/`)])),
    "",
    "#### 取組テーマ（`_data/themes.json`）",
    "",
    table(["ID", "名前"], r.themes.map((t) => [code(t.id), t.name])),
    "",
    "#### 選定時期（`_data/rounds.json`）",
    "",
    table(["番号", "名前", "選定日"], r.rounds.map((x) => [String(x.number), x.name, x.date ?? "（未定）"])),
    "",
    "#### 地方と都道府県（`_data/regions.json`・`_data/prefectures.json`、括弧内は JIS コード）",
    "",
    table(["ID", "地方", "都道府県"], r.regions.map((g) => [code(g.id), g.name, prefectures(g.id)])),
  ].join("\n");
}

function roles(): string {
  return table(
    ["役割（キー）", "編集画面での表示"],
    ROLES.map((r) => [code(r.value), r.label]),
  );
}

// ---------------------------------------------------------------------------------------------
// Generation and checks

export function renderSection(name: string, ctx: Context): string {
  switch (name) {
    case "page-tree":
      return pageTree(ctx);
    case "urls":
      return urlTable(ctx);
    case "navigation":
      return navigation(ctx);
    case "content-model":
      return contentModel(ctx);
    case "reference-data":
      return referenceData(ctx);
    case "roles":
      return roles();
    case "fields-news":
    case "fields-events":
    case "fields-labs":
      return manualFields(name.slice("fields-".length) as CollectionName, ctx);
    default:
      throw new Error(`生成部分「${name}」はありません / unknown generated section "${name}"`);
  }
}

export interface DocProblem {
  file: string;
  message: string;
}

/** The document with every generated section re-rendered, and what was wrong with its markers. */
export function regenerate(file: string, text: string, ctx: Context): { text: string; stale: string[]; problems: DocProblem[] } {
  const problems: DocProblem[] = [];
  const stale: string[] = [];
  const names = [...text.matchAll(MARKER)].map((m) => m[1]!);
  for (const required of REQUIRED_SECTIONS[file] ?? []) {
    if (!names.includes(required)) {
      problems.push({ file, message: `生成部分の目印 ${START(required)} … ${END(required)} がありません / the markers of section "${required}" are missing` });
    }
  }
  let out = text;
  for (const name of names) {
    const start = out.indexOf(START(name));
    const end = out.indexOf(END(name), start);
    if (end < 0) {
      problems.push({ file, message: `${START(name)} に対応する ${END(name)} がありません / no end marker for "${name}"` });
      continue;
    }
    let body: string;
    try {
      body = renderSection(name, ctx);
    } catch (e) {
      problems.push({ file, message: (e as Error).message });
      continue;
    }
    const replacement = `${START(name)}\n${body}\n${END(name)}`;
    const current = out.slice(start, end + END(name).length);
    if (current !== replacement) stale.push(name);
    out = out.slice(0, start) + replacement + out.slice(end + END(name).length);
  }
  return { text: out, stale, problems };
}

/** Markdown files under docs/ (and README.md). */
export function markdownFiles(root: string = ROOT): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(path.join(root, dir)).sort()) {
      const rel = path.posix.join(dir, name);
      if (statSync(path.join(root, rel)).isDirectory()) walk(rel);
      else if (name.endsWith(".md")) out.push(rel);
    }
  };
  if (existsSync(path.join(root, "docs"))) walk("docs");
  if (existsSync(path.join(root, "README.md"))) out.push("README.md");
  return out;
}

function flattenPhrases(phrases: Phrases): string[] {
  return Object.values(phrases).flatMap((v) => (typeof v === "string" ? [v] : flattenPhrases(v)));
}

/** Everything an error message shown to editors can come from. */
async function messageCorpus(root: string): Promise<string> {
  const texts: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      // Not this script or the screenshot script: they only repeat what the documents say.
      else if (/\.(ts|njk|json)$/.test(name) && !/^docs(-screenshots)?\.ts$/.test(name)) texts.push(readFileSync(file, "utf8"));
    }
  };
  for (const dir of ["src", "scripts"]) if (existsSync(path.join(root, dir))) walk(path.join(root, dir));
  const { phrases } = await japanesePhrases();
  texts.push(...flattenPhrases(phrases));
  return texts.join("\n");
}

/**
 * Code spans between <!-- checked-messages:start --> and <!-- checked-messages:end -->: each
 * must occur in the code or the CMS phrases, with 〇〇 standing for whatever varies.
 */
export async function checkQuotedMessages(root: string = ROOT): Promise<DocProblem[]> {
  const corpus = await messageCorpus(root);
  const problems: DocProblem[] = [];
  for (const file of markdownFiles(root)) {
    const text = readFileSync(path.join(root, file), "utf8");
    for (const block of text.matchAll(/<!-- checked-messages:start -->([\s\S]*?)<!-- checked-messages:end -->/g)) {
      for (const m of block[1]!.matchAll(/`([^`\n]+)`/g)) {
        const quoted = m[1]!;
        const fragments = quoted.split("〇〇").filter((f) => f.length > 0);
        const missing = fragments.filter((f) => !corpus.includes(f));
        if (missing.length) {
          problems.push({ file, message: `引用したメッセージ「${quoted}」がコードにありません（${missing.map((f) => `「${f}」`).join("")}）。今の文言に直してください / quoted message not found in the code` });
        }
      }
    }
  }
  return problems;
}

export interface CheckResult {
  stale: { file: string; sections: string[] }[];
  problems: DocProblem[];
}

export async function checkDocs(root: string = ROOT): Promise<CheckResult> {
  const ctx = loadContext(root);
  const stale: CheckResult["stale"] = [];
  const problems: DocProblem[] = [];
  for (const file of new Set([...Object.keys(REQUIRED_SECTIONS), ...markdownFiles(root)])) {
    const full = path.join(root, file);
    if (!existsSync(full)) {
      problems.push({ file, message: "ファイルがありません / file is missing" });
      continue;
    }
    const result = regenerate(file, readFileSync(full, "utf8"), ctx);
    if (result.stale.length) stale.push({ file, sections: result.stale });
    problems.push(...result.problems);
  }
  problems.push(...(await checkQuotedMessages(root)));
  return { stale, problems };
}

export function writeDocs(root: string = ROOT): { file: string; sections: string[] }[] {
  const ctx = loadContext(root);
  const written: { file: string; sections: string[] }[] = [];
  for (const file of new Set([...Object.keys(REQUIRED_SECTIONS), ...markdownFiles(root)])) {
    const full = path.join(root, file);
    if (!existsSync(full)) continue;
    const result = regenerate(file, readFileSync(full, "utf8"), ctx);
    for (const p of result.problems) console.error(`${p.file}: ${p.message}`);
    if (result.stale.length) {
      writeFileSync(full, result.text);
      written.push({ file, sections: result.stale });
    }
  }
  return written;
}

export function formatCheck(result: CheckResult): string {
  const lines: string[] = [];
  for (const s of result.stale) {
    lines.push(`${s.file}: 自動生成部分（${s.sections.join("、")}）が古くなっています / generated section(s) out of date: ${s.sections.join(", ")}`);
  }
  for (const p of result.problems) lines.push(`${p.file}: ${p.message}`);
  if (result.stale.length) {
    lines.push(
      "",
      "スキーマ・src/pages.ts・_data/ などが変わったため、文書の自動生成部分を作り直す必要があります。",
      "  node scripts/docs.ts --write   を実行し、変わった文書をコミットしてください。",
      "The documents describe the code; run `node scripts/docs.ts --write` and commit the result.",
    );
  }
  return lines.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { write: { type: "boolean" }, check: { type: "boolean" } } });
  if (values.write === values.check) {
    console.error("使い方 / usage: node scripts/docs.ts --write | --check");
    process.exit(2);
  }
  try {
    if (values.write) {
      const written = writeDocs();
      for (const w of written) console.log(`${w.file}: ${w.sections.join(", ")} を更新しました / updated`);
      if (written.length === 0) console.log("自動生成部分はすべて最新です / all generated sections are up to date");
      const { problems } = await checkDocs();
      if (problems.length) {
        console.error(formatCheck({ stale: [], problems }));
        process.exitCode = 1;
      }
    } else {
      const result = await checkDocs();
      if (result.stale.length || result.problems.length) {
        console.error(formatCheck(result));
        process.exitCode = 1;
      } else console.log("文書の自動生成部分と引用メッセージはすべて最新です / docs are up to date");
    }
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
