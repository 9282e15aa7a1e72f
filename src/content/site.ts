import path from "node:path";
import type { DateTime } from "luxon";
import type { z } from "zod";
import type { ReferenceData } from "../data/reference.ts";
import { checkMarkdownBody, mediaReferences } from "../markdown/index.ts";
import type { BuildMemo } from "../build/build-memo.ts";
import { visibilityOf, type Visibility } from "./visibility.ts";
import { collectionSpecs, type CollectionName, type CollectionSpec } from "../schema/collections.ts";
import { ContentError, formatIssues } from "../schema/errors.ts";
import { schemaOf, SLUG_PATTERN, type FieldSpec } from "../schema/fields.ts";

/** One Markdown file as Eleventy read it: path relative to the content folder, front matter, body. */
export interface RawEntry {
  inputPath: string;
  url: string;
  data: Record<string, unknown>;
  body: string;
}

type Named = { id: string; name: string };
export interface Prefecture {
  code: string;
  name: string;
  region: Named;
}
export interface Round {
  number: number;
  name: string;
}

export interface ContentImage {
  src: string;
  alt?: string;
  decorative: boolean;
  caption?: string;
}
export interface Attachment {
  file: string;
  label: string;
  /** Filled in by checkMedia from the file on disk: e.g. "PDF", 1234567. */
  type?: string;
  bytes?: number;
}

interface EntryBase {
  slug: string;
  url: string;
  inputPath: string;
  title: string;
  draft: boolean;
  /** Only "public" entries exist in production builds; previews show the others with a banner. */
  visibility: Visibility;
  publishAt?: DateTime;
  unpublishAt?: DateTime;
  attachments: Attachment[];
  /** Uploaded files the Markdown body shows or links to. */
  bodyMedia: { images: string[]; files: string[] };
}
export interface Lab extends EntryBase {
  kind: "labs";
  id: string;
  name: string;
  prefecture: Prefecture;
  municipality?: string;
  round: Round;
  selectedOn: DateTime;
  themes: Named[];
  summary: string;
  secretariat: string;
  contact: { email: string; phone?: string };
  website?: string;
  logo?: ContentImage;
  photos: ContentImage[];
}
export interface NewsItem extends EntryBase {
  kind: "news";
  date: DateTime;
  category: Named;
  featured: boolean;
  summary: string;
  labs: Lab[];
  image?: ContentImage;
}
export type EventStatus = "upcoming" | "ongoing" | "past";
export interface EventItem extends EntryBase {
  kind: "events";
  start: DateTime;
  end: DateTime;
  allDay: boolean;
  venue?: { name: string; address?: string };
  online: boolean;
  onlineUrl?: string;
  organizer: Lab;
  registration?: { url: string; deadline?: DateTime };
  fee?: string;
  capacity?: string;
  summary: string;
  status: EventStatus;
  image?: ContentImage;
}
export interface PageItem extends EntryBase {
  kind: "pages";
  description: string;
  order: number;
}
export type Entry = Lab | NewsItem | EventItem | PageItem;

/** One page of a paginated list (news, events), with what the pager needs. */
export interface ListPage<T> {
  url: string;
  title: string;
  heading: string;
  items: T[];
  pageNumber: number;
  totalPages: number;
  totalItems: number;
  pageUrls: string[];
  filter?: Named;
}

export interface SiteContent {
  labs: Lab[];
  news: NewsItem[];
  events: EventItem[];
  pages: PageItem[];
  featuredNews: NewsItem[];
  upcomingEvents: EventItem[];
  pastEvents: EventItem[];
  labsByRegion: { region: Named; prefectures: { prefecture: Prefecture; labs: Lab[] }[]; count: number }[];
  labsByRound: { round: Round; labs: Lab[] }[];
  labsByTheme: { theme: Named; labs: Lab[] }[];
  newsByLab: Record<string, NewsItem[]>;
  eventsByLab: Record<string, EventItem[]>;
  byInputPath: Record<string, Entry>;
  newsListPages: ListPage<NewsItem>[];
  eventListPages: ListPage<EventItem>[];
  categoryCounts: { category: Named; count: number; url: string }[];
}

export interface BuildOptions {
  now: DateTime;
  /** Include drafts, scheduled and expired entries (previews, npm start). */
  includeDrafts: boolean;
  pageSize?: number;
  /** URLs produced by templates other than entries (lists, feeds), checked for collisions. */
  reservedUrls?: string[];
  /**
   * Keeps each entry's checked front matter and body between builds (npm start rebuilds after
   * every save), so only the entries that changed are validated again.
   */
  cache?: EntryCache;
}

interface CheckedEntry {
  value?: Record<string, unknown>;
  issues?: readonly z.core.$ZodIssue[];
  bodyProblems: string[];
  bodyMedia: ReturnType<typeof mediaReferences>;
}

/** Checked entries by their source (collection, front matter, body); see BuildOptions.cache. */
export type EntryCache = BuildMemo<CheckedEntry>;

const COLLECTIONS: CollectionName[] = ["labs", "news", "events", "pages"];

export function collectionOf(inputPath: string): CollectionName | undefined {
  const top = inputPath.split(/[\\/]/)[0];
  return COLLECTIONS.find((c) => c === top);
}

/**
 * The public URL of an entry from its path under content/.
 * @example entryUrl("news/2026-11-20-snow.md") // "/news/2026-11-20-snow/"
 * @example entryUrl("pages/about.md") // "/about/"
 */
export function entryUrl(relativePath: string): string {
  const collection = collectionOf(relativePath);
  const slug = path.posix.basename(relativePath, path.posix.extname(relativePath));
  return collection === "pages" ? `/${slug}/` : `/${collection ?? path.posix.dirname(relativePath)}/${slug}/`;
}

function labelsOf(fields: Record<string, FieldSpec>, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, f] of Object.entries(fields)) {
    out[prefix + key] = f.label;
    const nested = (f.decap(key) as { fields?: { name: string; label: string }[] }).fields;
    if (nested) for (const n of nested) out[`${prefix}${key}.${n.name}`] = `${f.label} › ${n.label}`;
  }
  return out;
}


/** The fields every entry has, from its file and its validated front matter. */
function common(entry: RawEntry, v: Record<string, unknown>, slug: string): Omit<EntryBase, "title"> {
  return {
    slug,
    url: entry.url,
    inputPath: entry.inputPath,
    draft: v.draft as boolean,
    visibility: v.visibility as Visibility,
    publishAt: v.publishAt as DateTime | undefined,
    unpublishAt: v.unpublishAt as DateTime | undefined,
    attachments: (v.attachments as Attachment[] | undefined) ?? [],
    bodyMedia: v.bodyMedia as EntryBase["bodyMedia"],
  };
}

/**
 * Validates every entry against its collection schema, resolves references (labs, categories,
 * prefectures, themes) and precomputes every list the templates need, in one pass. Throws a
 * ContentError listing all problems at once so an editor can fix them together.
 */
export function buildSiteContent(raw: RawEntry[], ref: ReferenceData, options: BuildOptions): SiteContent {
  const specs = collectionSpecs(ref);
  const problems: string[] = [];
  const parsed: { spec: CollectionSpec; entry: RawEntry; value: Record<string, unknown>; slug: string }[] = [];

  for (const entry of raw) {
    const name = collectionOf(entry.inputPath);
    if (!name) continue;
    const spec = specs[name];
    const file = path.posix.join("content", entry.inputPath.split(path.sep).join("/"));
    const slug = path.basename(entry.inputPath, path.extname(entry.inputPath));
    if (!SLUG_PATTERN[0].test(slug)) {
      problems.push(
        `${file}: ファイル名（URL名）「${slug}」: ${SLUG_PATTERN[1]} / file name (URL name) ${SLUG_PATTERN[2]}`,
      );
    }
    const input = Object.fromEntries(Object.keys(spec.fields).map((k) => [k, entry.data[k]]));
    const body = entry.body.trim();
    const check = (): CheckedEntry => {
      const result = schemaOf(spec.fields).safeParse(input);
      return {
        value: result.success ? (result.data as Record<string, unknown>) : undefined,
        issues: result.success ? undefined : result.error.issues,
        bodyProblems: checkMarkdownBody(body),
        bodyMedia: mediaReferences(body),
      };
    };
    const checked = options.cache ? options.cache.get(`${name}\0${JSON.stringify(input)}\0${body}`, check) : check();
    if (!checked.value) {
      problems.push(...formatIssues(file, checked.issues!, labelsOf(spec.fields)));
      continue;
    }
    if (spec.body.required && body.length === 0) {
      problems.push(`${file}: 項目「${spec.body.label}」(body): 必須項目です。入力してください / is required`);
    }
    for (const p of checked.bodyProblems) problems.push(`${file}: 項目「${spec.body.label}」(body): ${p}`);
    const value = { ...checked.value };
    const start = value.publishAt as DateTime | undefined;
    const end = value.unpublishAt as DateTime | undefined;
    if (start && end && end <= start) {
      problems.push(`${file}: 項目「公開終了日時」(unpublishAt): 公開開始日時より後にしてください / must be after publishAt`);
    }
    value.visibility = visibilityOf(value, options.now);
    if (value.visibility !== "public" && !options.includeDrafts) continue;
    value.bodyMedia = checked.bodyMedia;
    parsed.push({ spec, entry, value, slug });
  }

  const prefectures = new Map(ref.prefectures.map((p) => [p.code, p]));
  const regions = new Map(ref.regions.map((r) => [r.id, r]));
  const themes = new Map(ref.themes.map((t) => [t.id, t]));
  const categories = new Map(ref.newsCategories.map((c) => [c.id, c]));
  const rounds = new Map(ref.rounds.map((r) => [r.number, { number: r.number, name: r.name }]));

  const labs: Lab[] = [];
  for (const { entry, value: v, slug } of parsed.filter((p) => p.spec.name === "labs")) {
    const file = `content/${entry.inputPath}`;
    if (v.id !== slug) {
      problems.push(
        `${file}: 項目「ラボID（URL名）」(id): ファイル名「${slug}」と同じにしてください / must equal the file name "${slug}"`,
      );
    }
    const pref = prefectures.get(v.prefecture as string)!;
    labs.push({
      kind: "labs",
      ...common(entry, v, slug),
      logo: v.logo as ContentImage | undefined,
      photos: v.photos as ContentImage[],
      id: v.id as string,
      name: v.name as string,
      title: v.name as string,
      prefecture: { code: pref.code, name: pref.name, region: regions.get(pref.region)! },
      municipality: v.municipality as string | undefined,
      round: rounds.get(v.round as number)!,
      selectedOn: v.selectedOn as DateTime,
      themes: (v.themes as string[]).map((t) => themes.get(t)!),
      summary: v.summary as string,
      secretariat: v.secretariat as string,
      contact: v.contact as Lab["contact"],
      website: v.website as string | undefined,
    });
  }
  labs.sort((a, b) => a.prefecture.code.localeCompare(b.prefecture.code) || a.id.localeCompare(b.id));
  const labsById = new Map(labs.map((l) => [l.id, l]));

  const unknownLab = (file: string, field: string, key: string, id: string) =>
    problems.push(
      `${file}: 項目「${field}」(${key}): ラボ「${id}」は登録されていません。地方版ラボの一覧から選んでください / unknown lab "${id}"`,
    );

  const news: NewsItem[] = [];
  for (const { entry, value: v, slug } of parsed.filter((p) => p.spec.name === "news")) {
    const file = `content/${entry.inputPath}`;
    const related: Lab[] = [];
    for (const id of v.labs as string[]) {
      const lab = labsById.get(id);
      if (lab) related.push(lab);
      else unknownLab(file, "関連する地方版ラボ", "labs", id);
    }
    news.push({
      kind: "news",
      ...common(entry, v, slug),
      image: v.image as ContentImage | undefined,
      title: v.title as string,
      date: v.date as DateTime,
      category: categories.get(v.category as string)!,
      featured: v.featured as boolean,
      summary: v.summary as string,
      labs: related,
    });
  }
  news.sort((a, b) => b.date.toMillis() - a.date.toMillis() || a.slug.localeCompare(b.slug));

  const events: EventItem[] = [];
  const now = options.now.toMillis();
  for (const { entry, value: v, slug } of parsed.filter((p) => p.spec.name === "events")) {
    const file = `content/${entry.inputPath}`;
    const start = v.start as DateTime;
    const end = v.end as DateTime;
    if (end < start) {
      problems.push(
        `${file}: 項目「終了日時」(end): 開始日時より後にしてください / must not be before the start (${start.toISO()})`,
      );
    }
    const organizer = labsById.get(v.organizer as string);
    if (!organizer) {
      unknownLab(file, "主催ラボ", "organizer", v.organizer as string);
      continue;
    }
    const venue = v.venue as EventItem["venue"];
    if (!venue && v.online !== true) {
      problems.push(
        `${file}: 項目「会場」(venue): 会場を入力するか「オンライン配信あり」をオンにしてください / give a venue or mark the event as online`,
      );
    }
    events.push({
      kind: "events",
      ...common(entry, v, slug),
      image: v.image as ContentImage | undefined,
      title: v.title as string,
      start,
      end,
      allDay: v.allDay as boolean,
      venue,
      online: v.online as boolean,
      onlineUrl: v.onlineUrl as string | undefined,
      organizer,
      registration: v.registration as EventItem["registration"],
      fee: v.fee as string | undefined,
      capacity: v.capacity as string | undefined,
      summary: v.summary as string,
      status: start.toMillis() > now ? "upcoming" : end.toMillis() > now ? "ongoing" : "past",
    });
  }
  events.sort((a, b) => a.start.toMillis() - b.start.toMillis() || a.slug.localeCompare(b.slug));

  const pages: PageItem[] = parsed
    .filter((p) => p.spec.name === "pages")
    .map(({ entry, value: v, slug }) => ({
      kind: "pages" as const,
      ...common(entry, v, slug),
      attachments: [],
      title: v.title as string,
      description: v.description as string,
      order: v.order as number,
    }))
    .sort((a, b) => a.order - b.order || a.slug.localeCompare(b.slug));

  const all: Entry[] = [...labs, ...news, ...events, ...pages];
  const seen = new Map<string, string>();
  for (const url of options.reservedUrls ?? []) seen.set(url, "(サイトの一覧ページ / a built-in page)");
  for (const e of all) {
    const other = seen.get(e.url);
    if (other) {
      problems.push(
        `content/${e.inputPath}: URL「${e.url}」が ${other.startsWith("(") ? other : `content/${other}`} と重複しています。ファイル名を変えてください / duplicate URL "${e.url}"`,
      );
    } else seen.set(e.url, e.inputPath);
  }

  if (problems.length > 0) throw new ContentError(problems);

  const newsByLab: Record<string, NewsItem[]> = Object.fromEntries(labs.map((l) => [l.id, []]));
  for (const n of news) for (const l of n.labs) newsByLab[l.id]!.push(n);
  const eventsByLab: Record<string, EventItem[]> = Object.fromEntries(labs.map((l) => [l.id, []]));
  for (const e of events) eventsByLab[e.organizer.id]!.push(e);

  const upcomingEvents = events.filter((e) => e.status !== "past");
  const pastEvents = events.filter((e) => e.status === "past").reverse();

  const labsByRegion = ref.regions.map((region) => {
    const prefs = ref.prefectures
      .filter((p) => p.region === region.id)
      .map((p) => ({
        prefecture: { code: p.code, name: p.name, region },
        labs: labs.filter((l) => l.prefecture.code === p.code),
      }))
      .filter((p) => p.labs.length > 0);
    return { region, prefectures: prefs, count: prefs.reduce((n, p) => n + p.labs.length, 0) };
  });
  const labsByRound = [...rounds.values()]
    .map((round) => ({ round, labs: labs.filter((l) => l.round.number === round.number) }))
    .filter((g) => g.labs.length > 0);
  const labsByTheme = ref.themes
    .map((theme) => ({ theme, labs: labs.filter((l) => l.themes.some((t) => t.id === theme.id)) }))
    .filter((g) => g.labs.length > 0);

  const pageSize = options.pageSize ?? 20;
  const newsListPages = [
    ...paginate(news, pageSize, "/news/", "インフォメーション", "インフォメーション"),
    ...ref.newsCategories.flatMap((c) =>
      paginate(
        news.filter((n) => n.category.id === c.id),
        pageSize,
        `/news/category/${c.id}/`,
        `${c.name} | インフォメーション`,
        `インフォメーション：${c.name}`,
        c,
      ),
    ),
  ];
  const eventListPages = [
    ...paginate(upcomingEvents, pageSize, "/events/", "開催予定のイベント", "開催予定のイベント"),
    ...paginate(pastEvents, pageSize, "/events/past/", "過去のイベント", "過去のイベント"),
  ];
  const categoryCounts = ref.newsCategories.map((c) => ({
    category: c,
    count: news.filter((n) => n.category.id === c.id).length,
    url: `/news/category/${c.id}/`,
  }));

  return {
    labs,
    news,
    events,
    pages,
    featuredNews: news.filter((n) => n.featured),
    upcomingEvents,
    pastEvents,
    labsByRegion,
    labsByRound,
    labsByTheme,
    newsByLab,
    eventsByLab,
    byInputPath: Object.fromEntries(all.map((e) => [e.inputPath, e])),
    newsListPages,
    eventListPages,
    categoryCounts,
  };
}

/** Splits a list into pages; an empty list still gets its first page (with a "none yet" message). */
export function paginate<T>(
  items: T[],
  size: number,
  baseUrl: string,
  title: string,
  heading: string,
  filter?: Named,
): ListPage<T>[] {
  const totalPages = Math.max(1, Math.ceil(items.length / size));
  const pageUrls = Array.from({ length: totalPages }, (_, i) => (i === 0 ? baseUrl : `${baseUrl}page/${i + 1}/`));
  return pageUrls.map((url, i) => ({
    url,
    title: i === 0 ? title : `${title}（${i + 1}ページ目）`,
    heading,
    items: items.slice(i * size, (i + 1) * size),
    pageNumber: i + 1,
    totalPages,
    totalItems: items.length,
    pageUrls,
    ...(filter ? { filter } : {}),
  }));
}

