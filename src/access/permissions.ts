import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { mediaReferences } from "../markdown/index.ts";
import { MEDIA_PREFIX } from "../schema/media.ts";
import { ACCESS_FILE, findAccount, parseAccessJson, ROLE_NAMES, type AccessConfig, type Account } from "./schema.ts";

// js-yaml is what Eleventy's front matter parser uses, so both read a file the same way. It ships
// no type declarations; this is the one call we need. (gray-matter is avoided on purpose: it
// evaluates `---js` front matter, and this check reads untrusted pull requests.)
const yaml = createRequire(import.meta.url)("js-yaml") as { load(text: string): unknown };

/** A file as one side of a change: its path, git mode and, for files the check reads, its text. */
export interface FileSide {
  path: string;
  /** git file mode: 100644, 100755, 120000 (symbolic link), 160000 (submodule). */
  mode?: string;
  /** Text of Markdown entries and the access file; undefined for other files. */
  text?: string;
}

export type ChangeStatus = "added" | "modified" | "deleted" | "renamed" | "copied";

export interface Change {
  status: ChangeStatus;
  before?: FileSide;
  after?: FileSide;
}

export type EntryCollection = "news" | "events" | "labs" | "pages";

/** What a path is, which decides who may change it. */
export type Area =
  | { kind: "entry"; collection: EntryCollection; slug: string }
  | { kind: "media" }
  | { kind: "content-other" }
  | { kind: "access" }
  | { kind: "settings" }
  | { kind: "workflow" }
  | { kind: "code" };

export type AreaKey = EntryCollection | Exclude<Area["kind"], "entry">;

export const AREA_NAMES: Record<AreaKey, string> = {
  news: "インフォメーション (news)",
  events: "イベント (events)",
  labs: "地方版ラボ (labs)",
  pages: "固定ページ (pages)",
  media: "アップロードファイル (media)",
  "content-other": "content/ 内のその他のファイル (other content files)",
  access: "アカウントと権限 (access)",
  settings: "サイト設定 (_data)",
  workflow: "CIワークフロー (workflows)",
  code: "プログラム・テンプレート・設定 (code)",
};

const ENTRY_PATH = /^content\/(news|events|labs|pages)\/([^/]+)\.md$/;
const MEDIA_PATH = /^content\/media\/[^/]+$/;

/**
 * Classifies a repository path. Inside content/ only entries (one Markdown file per item) and
 * uploads count as content: Eleventy would also run templates and data files placed there, so
 * anything else under content/ is treated like code.
 */
export function areaOf(file: string): Area {
  const entry = ENTRY_PATH.exec(file);
  if (entry) return { kind: "entry", collection: entry[1] as EntryCollection, slug: entry[2]! };
  if (MEDIA_PATH.test(file)) return { kind: "media" };
  if (file.startsWith("content/")) return { kind: "content-other" };
  if (file === ACCESS_FILE) return { kind: "access" };
  if (file.startsWith("_data/")) return { kind: "settings" };
  if (file.startsWith(".github/workflows/")) return { kind: "workflow" };
  return { kind: "code" };
}

export const areaKey = (area: Area): AreaKey => (area.kind === "entry" ? area.collection : area.kind);

/** Files whose text the check needs: entries (front matter) and the access file. */
export const needsText = (file: string): boolean => ENTRY_PATH.test(file) || file === ACCESS_FILE;

// ---------------------------------------------------------------------------------------------
// Reading entries

type FrontMatter = { ok: true; data: Record<string, unknown>; body: string } | { ok: false; reason: "yaml" | "language" };

/**
 * Splits and parses YAML front matter the way the build reads it. Other front matter languages
 * (`---js`, `---json`) are refused: Eleventy would execute JavaScript front matter.
 */
export function parseFrontMatter(text: string): FrontMatter {
  const source = text.replace(/^\uFEFF/, "");
  const open = /^---([^\r\n]*)\r?\n/.exec(source);
  if (!open) return { ok: true, data: {}, body: source };
  const language = open[1]!.trim().toLowerCase();
  if (language !== "" && language !== "yaml" && language !== "yml") return { ok: false, reason: "language" };
  const rest = source.slice(open[0].length);
  const close = /^---[ \t]*(?:\r?\n|$)/m.exec(rest);
  if (!close) return { ok: false, reason: "yaml" };
  try {
    const data = yaml.load(rest.slice(0, close.index)) ?? {};
    if (typeof data !== "object" || Array.isArray(data)) return { ok: false, reason: "yaml" };
    return { ok: true, data: data as Record<string, unknown>, body: rest.slice(close.index + close[0].length) };
  } catch {
    return { ok: false, reason: "yaml" };
  }
}

/** The labs an entry belongs to, or undefined when the field holds something that is not lab ids. */
export function labsOfEntry(collection: EntryCollection, slug: string, data: Record<string, unknown>): string[] | undefined {
  const ids = (value: unknown): string[] | undefined => {
    if (value === undefined || value === null || value === "") return [];
    if (typeof value === "string") return [value];
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) return [...new Set(value as string[])];
    return undefined;
  };
  switch (collection) {
    case "news":
      return ids(data.labs);
    case "events":
      return ids(data.organizer);
    case "labs": {
      const id = ids(data.id);
      return id && [...new Set([slug, ...id])];
    }
    case "pages":
      return [];
  }
}

/** Repository paths of uploads an entry uses: any /media/ value in front matter, and body links/images. */
export function mediaUsedBy(data: Record<string, unknown>, body: string): string[] {
  const found = new Set<string>();
  const add = (value: string) => {
    let clean = value.trim().replace(/[?#].*$/, "");
    try {
      clean = decodeURI(clean);
    } catch {
      // keep the raw value
    }
    if (clean.startsWith(MEDIA_PREFIX)) found.add(`content/media/${clean.slice(MEDIA_PREFIX.length)}`);
  };
  const walk = (value: unknown) => {
    if (typeof value === "string") add(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") Object.values(value).forEach(walk);
  };
  walk(data);
  const refs = mediaReferences(body);
  [...refs.images, ...refs.files].forEach(add);
  return [...found];
}

// ---------------------------------------------------------------------------------------------
// The check

export interface Violation {
  /** The file (or "old → new" for a rename); empty for problems with the pull request as a whole. */
  path: string;
  ja: string;
  en: string;
}

export interface CheckInput {
  author: string;
  /** The access file as of the base branch: a pull request cannot grant itself rights. */
  access: AccessConfig;
  changes: Change[];
  /** Lab ids at the head revision, to validate a changed access file. */
  headLabIds?: Iterable<string>;
}

export interface CheckResult {
  author: string;
  account?: Account;
  violations: Violation[];
  /** Every lab an entry belonged to before or after the change, sorted. */
  labs: string[];
  /** Files changed per area and kind of change, for the summary. */
  counts: Partial<Record<AreaKey, Record<"added" | "modified" | "deleted" | "renamed", number>>>;
}

type Op = "create" | "edit" | "delete" | "rename";
interface Step {
  op: Op;
  area: Area;
  display: string;
  before?: FileSide;
  after?: FileSide;
}

/** A change as the steps a permission is needed for; a move across areas is a delete plus a create. */
function stepsOf(change: Change): Step[] {
  const { before, after } = change;
  const step = (op: Op, side: FileSide, other?: FileSide): Step => ({
    op,
    area: areaOf(side.path),
    display: side.path,
    ...(op === "delete" ? { before: side } : op === "create" ? { after: side } : { before: other, after: side }),
  });
  switch (change.status) {
    case "added":
      return [step("create", after!)];
    case "deleted":
      return [step("delete", before!)];
    case "modified":
      return [step("edit", after!, before!)];
    case "copied":
      return [step("create", after!)];
    case "renamed": {
      if (areaKey(areaOf(before!.path)) !== areaKey(areaOf(after!.path))) return [step("delete", before!), step("create", after!)];
      return [{ op: "rename", area: areaOf(after!.path), display: `${before!.path} → ${after!.path}`, before, after }];
    }
  }
}

const ADMIN_ONLY: Record<Exclude<AreaKey, EntryCollection | "media">, [string, string]> = {
  access: [
    `アカウントと権限の設定（${ACCESS_FILE}）は管理者だけが変更できます`,
    `only admins may change the access file (${ACCESS_FILE})`,
  ],
  settings: ["サイト設定（_data/）は管理者だけが変更できます", "only admins may change site settings (_data/)"],
  workflow: ["CIのワークフロー（.github/workflows/）は管理者だけが変更できます", "only admins may change CI workflows (.github/workflows/)"],
  code: [
    "プログラム・テンプレート・設定ファイル（content/ の外）は管理者だけが変更できます",
    "only admins may change code, templates or configuration (anything outside content/)",
  ],
  "content-other": [
    "content/ の中で変更できるのは記事（news・events・labs・pages の .md）とアップロードファイル（media）だけです。その他のファイルは管理者だけが変更できます",
    "inside content/ only entries (.md in news, events, labs, pages) and uploads (media) are content; other files are admin-only",
  ],
};

const KIND: Record<"news" | "events" | "labs", [ja: string, en: string, withArticle: string]> = {
  news: ["お知らせ", "news item", "a news item"],
  events: ["イベント", "event", "an event"],
  labs: ["ラボのページ", "lab page", "a lab page"],
};
const VERB: Record<Exclude<Op, "create">, [string, string]> = {
  edit: ["編集", "edit"],
  delete: ["削除", "delete"],
  rename: ["名前の変更", "rename"],
};

const list = (ids: string[]) => ids.join(", ");

/**
 * Decides whether `author` may make `changes`, listing every violation (Japanese and English).
 *
 * - admin: anything.
 * - editor: entries of every collection and uploads; not settings, the access file, code or workflows.
 * - lab-editor: news, events and the lab page of their own labs only. An item is theirs when every
 *   lab it names (news `labs`, event `organizer`, lab file name and `id`) is one of theirs, before
 *   and after the change; so they cannot edit programme-wide items, move an item to another lab,
 *   add another lab to it, or create, delete or rename lab pages. Uploads: they may add new files
 *   that their own entries in the same pull request use; they may not overwrite, rename or delete
 *   existing uploads, which other labs' pages may use.
 * - reviewer: approves pull requests and authors none.
 * - unknown or suspended accounts: nothing.
 * Non-admins may not add symbolic links or submodules, nor use non-YAML front matter.
 */
export function checkPermissions(input: CheckInput): CheckResult {
  const account = findAccount(input.access, input.author);
  const violations: Violation[] = [];
  const add = (path: string, ja: string, en: string) => violations.push({ path, ja, en });
  const touchedLabs = new Set<string>();
  const counts: CheckResult["counts"] = {};
  const steps = input.changes.flatMap(stepsOf);

  for (const change of input.changes) {
    const key = areaKey(areaOf((change.after ?? change.before)!.path));
    const row = (counts[key] ??= { added: 0, modified: 0, deleted: 0, renamed: 0 });
    row[change.status === "copied" ? "added" : change.status] += 1;
  }

  // The labs of every entry before and after, for the summary and reviewer suggestions.
  const sideLabs = (side?: FileSide): string[] | undefined => {
    if (side?.text === undefined) return undefined;
    const area = areaOf(side.path);
    if (area.kind !== "entry") return undefined;
    const fm = parseFrontMatter(side.text);
    if (!fm.ok) return undefined;
    return labsOfEntry(area.collection, area.slug, fm.data);
  };
  for (const s of steps) for (const id of [...(sideLabs(s.before) ?? []), ...(sideLabs(s.after) ?? [])]) touchedLabs.add(id);

  if (!account) {
    add(
      "",
      `アカウント「${input.author}」は ${ACCESS_FILE} に登録されていないため、変更できません。管理者に登録を依頼してください`,
      `account "${input.author}" is not listed in ${ACCESS_FILE}, so it may not change anything; ask an admin to add it`,
    );
  } else if (!account.active) {
    add(
      "",
      `アカウント「${account.login}」（${account.name}）は利用停止中のため、変更できません`,
      `account "${account.login}" is suspended (active: false) and may not change anything`,
    );
  } else if (account.role === "reviewer") {
    for (const s of steps) {
      add(
        s.display,
        "レビュー担当のアカウントでは変更を作成できません（承認だけを行います）",
        "reviewers approve changes and may not author them",
      );
    }
  } else if (account.role !== "admin") {
    const labEditor = account.role === "lab-editor";
    const own = new Set(account.labs);
    const ownList = list(account.labs);
    const usable = new Set<string>();
    const mediaSteps: Step[] = [];

    for (const s of steps) {
      if (s.after && (s.after.mode === "120000" || s.after.mode === "160000")) {
        add(s.display, "シンボリックリンクやサブモジュールは追加できません", "may not add symbolic links or submodules");
        continue;
      }
      const area = s.area;
      if (area.kind === "media") {
        if (labEditor) mediaSteps.push(s);
        continue;
      }
      if (area.kind !== "entry") {
        const [ja, en] = ADMIN_ONLY[area.kind];
        add(s.display, ja, en);
        continue;
      }
      if (s.after?.text !== undefined) {
        const fm = parseFrontMatter(s.after.text);
        if (!fm.ok && fm.reason === "language") {
          add(s.display, "フロントマターはYAML形式（---）だけが使えます", "front matter must be YAML (---)");
          continue;
        }
      }
      if (!labEditor) continue;
      if (area.collection === "pages") {
        add(s.display, "固定ページはIPAの編集者だけが変更できます", "only IPA editors may change pages");
        continue;
      }
      const [kindJa, kindEn, aKind] = KIND[area.collection];

      if (area.collection === "labs" && s.op !== "edit") {
        const [ja, en] =
          s.op === "create"
            ? ["新しいラボは登録できません（ラボの追加はIPAに依頼してください）", "may not create a new lab (ask IPA to add it)"]
            : s.op === "delete"
              ? ["ラボのページは削除できません", "may not delete a lab page"]
              : ["ラボのページのファイル名（ラボID）は変更できません", "may not rename a lab page (its lab id)"];
        add(s.display, ja, en);
        continue;
      }

      // Before: the item must already be theirs.
      if (s.before && s.op !== "create") {
        const [verbJa, verbEn] = VERB[s.op];
        const labs = sideLabs(s.before);
        if (labs === undefined) {
          add(s.display, `変更前の${kindJa}のフロントマターを読み取れないため、どのラボのものか確認できません`, `cannot tell which lab the ${kindEn} belonged to: its front matter cannot be read`);
          continue;
        }
        const others = labs.filter((id) => !own.has(id));
        if (labs.length === 0) {
          add(s.display, `関連ラボのない全体向けの${kindJa}は${verbJa}できません`, `may not ${verbEn} a programme-wide ${kindEn} (no lab)`);
          continue;
        }
        if (others.length > 0) {
          add(s.display, `他のラボ（${list(others)}）の${kindJa}は${verbJa}できません`, `may not ${verbEn} ${aKind} of another lab (${list(others)})`);
          continue;
        }
      }
      if (!s.after) continue;

      // After: the item must still be theirs, and only theirs.
      const fm = s.after.text === undefined ? undefined : parseFrontMatter(s.after.text);
      const labs = fm?.ok ? labsOfEntry(area.collection, area.slug, fm.data) : undefined;
      if (!fm?.ok || labs === undefined) {
        add(s.display, `${kindJa}のフロントマター（ラボの指定）を読み取れません`, `cannot read the ${kindEn}'s front matter (which lab it belongs to)`);
        continue;
      }
      if (area.collection === "labs" && fm.data.id !== area.slug) {
        add(s.display, `ラボID（id）はファイル名「${area.slug}」から変更できません`, `may not change the lab id (must stay "${area.slug}")`);
        continue;
      }
      if (labs.length === 0) {
        const field = area.collection === "news" ? ["「関連する地方版ラボ」(labs)", '"labs"'] : ["「主催ラボ」(organizer)", '"organizer"'];
        add(s.display, `${field[0]}に自分のラボ（${ownList}）を選んでください`, `must name one of your labs (${ownList}) in ${field[1]}`);
        continue;
      }
      const others = labs.filter((id) => !own.has(id));
      if (others.length > 0) {
        if (s.op === "create") {
          add(s.display, `他のラボ（${list(others)}）の${kindJa}は作成できません`, `may not create ${aKind} for another lab (${list(others)})`);
        } else {
          add(
            s.display,
            `${kindJa}を他のラボ（${list(others)}）に移したり、他のラボを追加したりすることはできません`,
            `may not move the ${kindEn} to another lab or add another lab (${list(others)})`,
          );
        }
        continue;
      }
      for (const file of mediaUsedBy(fm.data, fm.body)) usable.add(file);
    }

    for (const s of mediaSteps) {
      if (s.op === "create") {
        if (!usable.has(s.after!.path)) {
          add(
            s.display,
            "このプルリクエストに含まれる自分のラボの記事で使われていないファイルはアップロードできません",
            "may only upload files that your lab's entries in this pull request use",
          );
        }
        continue;
      }
      const [verbJa, verbEn] = VERB[s.op];
      add(
        s.display,
        `アップロード済みのファイルは${s.op === "edit" ? "上書き" : verbJa}できません（他のラボのページで使われている可能性があるため、IPAに依頼してください）。新しい名前でアップロードしてください`,
        `may not ${s.op === "edit" ? "overwrite" : verbEn} an existing upload (other labs' pages may use it; ask IPA); upload it under a new name`,
      );
    }
  }

  // A broken or missing access file would lock everyone out, admins included.
  for (const change of input.changes) {
    if (change.before?.path === ACCESS_FILE && change.after?.path !== ACCESS_FILE) {
      add(ACCESS_FILE, "アカウントと権限の設定ファイルは削除・移動できません", "the access file may not be deleted or moved");
    }
    if (change.after?.path === ACCESS_FILE && account?.role === "admin") {
      const { problems } = parseAccessJson(change.after.text ?? "", input.headLabIds ?? []);
      // Each problem already names the field in both languages.
      for (const p of problems) add(ACCESS_FILE, "変更後の設定に誤りがあります", `the changed access file is invalid: ${p}`);
    }
  }

  return { author: input.author, account, violations, labs: [...touchedLabs].sort(), counts };
}

/** One line per violation: "path: 日本語 / English". */
export function formatViolations(result: CheckResult): string {
  const n = result.violations.length;
  if (n === 0) return `権限チェック: 問題ありません / Permission check passed (${result.author})`;
  return [
    `権限チェック: ${n} 件の問題があります / Permission check failed: ${n} problem(s)`,
    `作成者 / author: ${describeAuthor(result)}`,
    ...result.violations.map((v) => `  - ${v.path ? `${v.path}: ` : ""}${v.ja} / ${v.en}`),
  ].join("\n");
}

function describeAuthor(result: CheckResult): string {
  const a = result.account;
  if (!a) return `${result.author}（未登録 / not registered）`;
  const labs = a.labs.length ? `: ${a.labs.join(", ")}` : "";
  return `${a.name} (@${a.login}, ${ROLE_NAMES[a.role]} / ${a.role}${labs})`;
}

// ---------------------------------------------------------------------------------------------
// Reviewers: CODEOWNERS and suggestions

const byLogin = (accounts: Account[]) => accounts.map((a) => a.login).sort((x, y) => x.localeCompare(y));
const active = (access: AccessConfig, role: Account["role"]) => access.accounts.filter((a) => a.active && a.role === role);

/**
 * Who reviews a lab's changes: reviewers in charge of it plus reviewers without a region (the
 * general pool), or every reviewer when nobody is in charge. Admins can always approve too.
 */
export function reviewersForLab(access: AccessConfig, labId: string): string[] {
  const reviewers = active(access, "reviewer");
  const inCharge = reviewers.filter((r) => r.labs.includes(labId));
  if (inCharge.length === 0) return byLogin(reviewers);
  return byLogin([...inCharge, ...reviewers.filter((r) => r.labs.length === 0)]);
}

/** Reviewers to request for a pull request touching `labs` (all reviewers when it names no lab). */
export function suggestedReviewers(access: AccessConfig, labs: string[]): string[] {
  if (labs.length === 0) return byLogin(active(access, "reviewer"));
  return [...new Set(labs.flatMap((id) => reviewersForLab(access, id)))].sort((x, y) => x.localeCompare(y));
}

export const CODEOWNERS_FILE = ".github/CODEOWNERS";

/**
 * .github/CODEOWNERS from the access file. The last matching line wins and one approval from any
 * owner on it satisfies "require review from code owners".
 */
export function codeowners(access: AccessConfig): string {
  const at = (logins: string[]) => logins.map((l) => `@${l}`).join(" ");
  const admins = byLogin(active(access, "admin"));
  const reviewers = byLogin(active(access, "reviewer"));
  const contentOwners = at([...reviewers, ...admins]);
  const labs = [...new Set(active(access, "reviewer").flatMap((r) => r.labs))].sort();
  const pad = (pattern: string) => pattern.padEnd(40);
  return [
    `# Generated from ${ACCESS_FILE} by \`node scripts/codeowners.ts --write\`. Do not edit by hand.`,
    `# ${ACCESS_FILE} から自動生成しています。直接編集せず、アカウントを変えたら再生成してください。`,
    "#",
    "# Who must approve (the last matching line wins; one approval from anyone listed suffices):",
    "# - everything not listed below (code, templates, _data/ settings, the access file, workflows,",
    "#   files in content/ that are not entries or uploads): an IPA admin.",
    "# - entries and uploads: any IPA reviewer, or an admin.",
    "# - a lab's page: the reviewers in charge of that lab and reviewers without a region, or an admin.",
    "# Lab staff are not code owners: their approval would let a lab publish its own change without IPA.",
    "# News and events cannot be routed by path (the file name does not say which lab); the permission",
    "# check reads their labs/organizer, enforces who may author them, and names the reviewers in charge",
    "# in its pull request summary.",
    "",
    `${pad("*")} ${at(admins)}`,
    "",
    ...["news", "events", "labs", "pages"].map((c) => `${pad(`/content/${c}/*.md`)} ${contentOwners}`),
    `${pad("/content/media/")} ${contentOwners}`,
    ...(labs.length ? ["", "# Lab pages with reviewers in charge / レビュー担当者が決まっているラボのページ"] : []),
    ...labs.map((id) => `${pad(`/content/labs/${id}.md`)} ${at([...reviewersForLab(access, id), ...admins])}`),
    "",
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Summary for the pull request comment

export interface SummaryOptions {
  /** Lab names by id, to show 長岡市IoT推進ラボ rather than nagaoka. */
  labNames?: Record<string, string>;
  access?: AccessConfig;
}

/** A short Markdown summary: author, files per area, labs, reviewers to ask, and the verdict. */
export function summaryMarkdown(result: CheckResult, options: SummaryOptions = {}): string {
  const lines = ["### 変更の概要 / Summary of changes", "", `作成者 / Author: ${describeAuthor(result)}`, ""];
  const rows = (Object.keys(AREA_NAMES) as AreaKey[]).filter((k) => result.counts[k]);
  if (rows.length === 0) lines.push("変更されたファイルはありません / No files changed.", "");
  else {
    lines.push("| 区分 / Area | 追加 / Added | 変更 / Modified | 削除 / Deleted | 名前変更 / Renamed |", "|---|---:|---:|---:|---:|");
    for (const k of rows) {
      const c = result.counts[k]!;
      lines.push(`| ${AREA_NAMES[k]} | ${c.added} | ${c.modified} | ${c.deleted} | ${c.renamed} |`);
    }
    lines.push("");
  }
  if (result.labs.length) {
    const names = result.labs.map((id) => (options.labNames?.[id] ? `${options.labNames[id]} (${id})` : id));
    lines.push(`関係するラボ / Labs: ${names.join("、")}`, "");
  }
  if (options.access) {
    const reviewers = suggestedReviewers(options.access, result.labs);
    if (reviewers.length) lines.push(`レビュー依頼先 / Suggested reviewers: ${reviewers.map((r) => `@${r}`).join(" ")}`, "");
  }
  const n = result.violations.length;
  if (n === 0) lines.push("**権限チェック / Permission check: ✅ 問題ありません / passed**");
  else {
    lines.push(`**権限チェック / Permission check: ❌ ${n} 件の問題 / ${n} problem(s)**`, "");
    for (const v of result.violations) lines.push(`- ${v.path ? `\`${v.path}\`: ` : ""}${v.ja} / ${v.en}`);
  }
  return lines.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------
// Reading a pull request from git

function git(repo: string, args: string[], input?: string): Buffer {
  return execFileSync("git", ["-C", repo, "-c", "core.quotepath=false", ...args], {
    input,
    maxBuffer: 512 * 1024 * 1024,
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** Reads many objects ("sha" or "rev:path") in one `git cat-file --batch`; missing ones are undefined. */
export function readObjects(repo: string, names: string[]): Map<string, Buffer | undefined> {
  const out = new Map<string, Buffer | undefined>();
  if (names.length === 0) return out;
  const buf = git(repo, ["cat-file", "--batch"], names.join("\n") + "\n");
  let pos = 0;
  for (const name of names) {
    const nl = buf.indexOf(0x0a, pos);
    const header = buf.subarray(pos, nl).toString("utf8");
    pos = nl + 1;
    const m = / (\w+) (\d+)$/.exec(header);
    if (!m || header.endsWith(" missing") || header.endsWith(" ambiguous")) {
      out.set(name, undefined);
      continue;
    }
    const size = Number(m[2]);
    out.set(name, m[1] === "blob" ? buf.subarray(pos, pos + size) : undefined);
    pos += size + 1;
  }
  return out;
}

/**
 * The files a pull request changes, as `git diff base...head` sees them (against the merge base,
 * like GitHub's "Files changed"), with renames detected and entry texts loaded.
 */
export function readChanges(repo: string, base: string, head: string): Change[] {
  const raw = git(repo, ["diff", "--raw", "-z", "-M", "--no-abbrev", "--no-ext-diff", `${base}...${head}`]).toString("utf8");
  const parts = raw.split("\0");
  const changes: Change[] = [];
  const shas: string[] = [];
  const pending: { side: FileSide; sha: string }[] = [];
  for (let i = 0; i < parts.length - 1; ) {
    const meta = parts[i++]!;
    const m = /^:(\d{6}) (\d{6}) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])(\d*)$/.exec(meta);
    if (!m) throw new Error(`unexpected git diff output: ${meta}`);
    const [, oldMode, newMode, oldSha, newSha, letter] = m as unknown as [string, string, string, string, string, string];
    const first = parts[i++]!;
    const second = letter === "R" || letter === "C" ? parts[i++]! : undefined;
    const side = (path: string, mode: string, sha: string): FileSide => {
      const s: FileSide = { path, mode };
      if (needsText(path) && mode !== "160000") {
        pending.push({ side: s, sha });
        shas.push(sha);
      }
      return s;
    };
    switch (letter) {
      case "A":
        changes.push({ status: "added", after: side(first, newMode, newSha) });
        break;
      case "D":
        changes.push({ status: "deleted", before: side(first, oldMode, oldSha) });
        break;
      case "R":
      case "C":
        changes.push({
          status: letter === "R" ? "renamed" : "copied",
          before: side(first, oldMode, oldSha),
          after: side(second!, newMode, newSha),
        });
        break;
      default: // M, T (type change), U, X: the file exists on both sides
        changes.push({ status: "modified", before: side(first, oldMode, oldSha), after: side(first, newMode, newSha) });
    }
  }
  const blobs = readObjects(repo, [...new Set(shas)]);
  for (const { side, sha } of pending) side.text = blobs.get(sha)?.toString("utf8");
  return changes;
}

/** Lab ids at a revision: the Markdown file names under content/labs/. */
export function labIdsAt(repo: string, rev: string): string[] {
  return git(repo, ["ls-tree", "--name-only", "-z", rev, "content/labs/"])
    .toString("utf8")
    .split("\0")
    .filter((f) => /^content\/labs\/[^/]+\.md$/.test(f))
    .map((f) => f.slice("content/labs/".length, -".md".length))
    .sort();
}

/** Lab display names (front matter `name`) at head, falling back to base for deleted labs. */
export function labNamesAt(repo: string, revs: string[], ids: string[]): Record<string, string> {
  const names: Record<string, string> = {};
  const objects = readObjects(repo, revs.flatMap((rev) => ids.map((id) => `${rev}:content/labs/${id}.md`)));
  for (const id of ids) {
    for (const rev of revs) {
      const text = objects.get(`${rev}:content/labs/${id}.md`)?.toString("utf8");
      const fm = text === undefined ? undefined : parseFrontMatter(text);
      if (fm?.ok && typeof fm.data.name === "string") {
        names[id] = fm.data.name;
        break;
      }
    }
  }
  return names;
}

/** Resolves a revision to a commit id, with a bilingual error for a wrong name. */
export function resolveRevision(repo: string, rev: string): string {
  try {
    return git(repo, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]).toString("utf8").trim();
  } catch {
    throw new Error(`リビジョン「${rev}」が見つかりません / unknown git revision "${rev}" in ${repo}`);
  }
}
