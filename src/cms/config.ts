import type { DateTime } from "luxon";
import type { ReferenceData } from "../data/reference.ts";
import { collectionSpecs, type CollectionSpec } from "../schema/collections.ts";
import type { DecapField } from "../schema/fields.ts";
import { siteSettingsFields } from "../schema/settings.ts";
import { accessCollection } from "../access/schema.ts";

export interface CmsBackendSettings {
  /** GitHub "owner/name" of this repository. */
  repo: string;
  branch: string;
  /** The OAuth gateway that signs editors in to GitHub (see docs). */
  authBaseUrl: string;
}

export interface CmsConfigOptions {
  backend: CmsBackendSettings;
  /** decap-server URL used when the admin is opened on localhost. */
  localProxyUrl: string;
  siteUrl: string;
  /** The build's "now": view filters for upcoming/past events are computed from it. */
  now: DateTime;
}

export const MEDIA_FOLDER = "content/media";
export const PUBLIC_MEDIA_FOLDER = "/media";

/**
 * Regexes over "YYYY-MM-DD…" strings matching dates on/after and before `day`. Decap's view
 * filters are regexes, so "upcoming" is expressed as one, regenerated at every build.
 */
export function dateRegexes(day: DateTime): { from: string; before: string } {
  const y = day.year;
  const mm = String(day.month).padStart(2, "0");
  const d = day.day;
  const alt = (values: string[]) => (values.length ? values.join("|") : "(?!)");
  const pad = (n: number) => String(n).padStart(2, "0");
  const laterDays = Array.from({ length: 31 - d + 1 }, (_, i) => pad(d + i));
  const earlierDays = Array.from({ length: d - 1 }, (_, i) => pad(i + 1));
  const laterMonths = Array.from({ length: 12 - day.month }, (_, i) => pad(day.month + 1 + i));
  const earlierYears = Array.from({ length: y - 2000 }, (_, i) => String(2000 + i));
  const earlierMonths = Array.from({ length: day.month - 1 }, (_, i) => pad(i + 1));
  return {
    from: `^(${alt([`${y}-${mm}-(${alt(laterDays)})`, `${y}-(${alt(laterMonths)})`, `(${alt(Array.from({ length: 20 }, (_, i) => String(y + 1 + i)))})`])})`,
    before: `^(${alt([`${y}-${mm}-(${alt(earlierDays)})`, `${y}-(${alt(earlierMonths)})`, `(${alt(earlierYears)})`])})`,
  };
}

function bodyField(spec: CollectionSpec): DecapField {
  return {
    name: "body",
    label: spec.body.label,
    widget: "markdown",
    hint: spec.body.hint,
    // Only constructs the build renders; raw HTML is rejected at build anyway.
    buttons: ["bold", "italic", "link", "heading-two", "heading-three", "bulleted-list", "numbered-list", "quote"],
    // Photos go in through Decap's image component as ![alt](/media/…), which the build turns
    // into resized <picture> elements.
    editor_components: ["image"],
    modes: ["rich_text", "raw"],
    sanitize_preview: true,
  };
}

function folderCollection(spec: CollectionSpec, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    name: spec.name,
    label: spec.label,
    label_singular: spec.labelSingular,
    description: spec.description,
    folder: `content/${spec.folder}`,
    extension: "md",
    format: "frontmatter",
    create: true,
    fields: [...Object.entries(spec.fields).map(([name, f]) => f.decap(name)), bodyField(spec)],
    ...extra,
  };
}

/**
 * The Decap CMS configuration, generated from the same field specs the build validates with.
 * Served as /admin/config.yml (JSON is valid YAML).
 */
export function cmsConfig(ref: ReferenceData, options: CmsConfigOptions): Record<string, unknown> {
  const specs = collectionSpecs(ref);
  const { from, before } = dateRegexes(options.now.setZone("Asia/Tokyo").startOf("day"));
  const regionPatterns = ref.regions.map((r) => ({
    label: r.name,
    field: "prefecture",
    pattern: `^(${ref.prefectures.filter((p) => p.region === r.id).map((p) => p.code).join("|")})$`,
  }));

  return {
    locale: "ja",
    site_url: options.siteUrl,
    display_url: options.siteUrl,
    logo_url: "/favicon.svg",
    publish_mode: "editorial_workflow",
    backend: {
      name: "github",
      repo: options.backend.repo,
      branch: options.backend.branch,
      base_url: options.backend.authBaseUrl,
      squash_merges: true,
      // The PR workflow reports each preview build as a commit status with this context.
      preview_context: "deploy/preview",
      cms_label_prefix: "cms/",
      commit_messages: {
        create: "{{collection}}「{{slug}}」を作成",
        update: "{{collection}}「{{slug}}」を更新",
        delete: "{{collection}}「{{slug}}」を削除",
        uploadMedia: "ファイル「{{path}}」をアップロード",
        deleteMedia: "ファイル「{{path}}」を削除",
        openAuthoring: "{{message}}",
      },
    },
    local_backend: { url: options.localProxyUrl },
    media_folder: MEDIA_FOLDER,
    public_folder: PUBLIC_MEDIA_FOLDER,
    slug: { encoding: "ascii", clean_accents: true, sanitize_replacement: "-" },
    collections: [
      folderCollection(specs.news, {
        // File names (and URLs) stay ASCII whatever the title: the item's date; Decap appends
        // -1, -2 … when a day already has one. ({{year}} etc. would be the date in UTC.)
        slug: "{{fields.date}}",
        preview_path: "news/{{slug}}/",
        identifier_field: "title",
        summary: "{{date}}｜{{title}}",
        // Newest first, as on the site.
        sortable_fields: [{ field: "date", default_sort: "desc" }, "title", "category"],
        view_filters: [
          ...ref.newsCategories.map((c) => ({ label: c.name, field: "category", pattern: `^${c.id}$` })),
          { label: "おすすめ", field: "featured", pattern: true },
          { label: "非公開", field: "draft", pattern: true },
        ],
        view_groups: [{ label: "掲載年", field: "date", pattern: "\\d{4}" }],
      }),
      folderCollection(specs.events, {
        slug: "{{fields.start | date('YYYY-MM-DD')}}",
        preview_path: "events/{{slug}}/",
        identifier_field: "title",
        summary: "{{start | date('YYYY-MM-DD HH:mm')}}｜{{title}}",
        sortable_fields: [{ field: "start", default_sort: "desc" }, "title"],
        view_filters: [
          { label: "開催予定", field: "start", pattern: from },
          { label: "過去のイベント", field: "start", pattern: before },
          { label: "オンライン", field: "online", pattern: true },
          { label: "非公開", field: "draft", pattern: true },
        ],
        view_groups: [{ label: "開催年", field: "start", pattern: "\\d{4}" }],
      }),
      folderCollection(specs.labs, {
        slug: "{{fields.id}}",
        preview_path: "labs/{{slug}}/",
        identifier_field: "name",
        summary: "{{name}}",
        sortable_fields: ["name", "prefecture", "round"],
        view_filters: regionPatterns,
        view_groups: [{ label: "選定", field: "round", pattern: "\\d+" }],
      }),
      folderCollection(specs.pages, {
        create: false,
        delete: false,
        preview_path: "{{slug}}/",
        identifier_field: "title",
        summary: "{{title}}",
        sortable_fields: ["order", "title"],
      }),
      {
        name: "settings",
        label: "サイト設定",
        label_singular: "サイト設定",
        description: "サイト名、メニュー、フッターのリンクなど、サイト全体の設定です。管理者だけが変更できます。",
        delete: false,
        editor: { preview: false },
        files: [
          {
            name: "site",
            label: "サイトの基本設定とメニュー",
            file: "_data/site.json",
            format: "json",
            fields: Object.entries(siteSettingsFields).map(([name, f]) => f.decap(name)),
          },
        ],
      },
      accessCollection(),
    ],
  };
}
