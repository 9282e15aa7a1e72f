import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ContentError, formatIssues } from "../schema/errors.ts";
import { boolean, labRelation, list, schemaOf, select, text, type Fields, type Option } from "../schema/fields.ts";

/**
 * Accounts and what each may change. Decap CMS has no roles, so this file is the source of truth:
 * the permission check (scripts/check-permissions.ts) and CODEOWNERS (scripts/codeowners.ts) are
 * derived from it, and admins edit it in the CMS like any other settings file.
 */
export const ACCESS_FILE = "_data/access.json";

export type Role = "admin" | "editor" | "lab-editor" | "reviewer";

export interface Account {
  /** GitHub login; compared case-insensitively, as GitHub does. */
  login: string;
  /** Display name shown to people (Japanese). */
  name: string;
  role: Role;
  /** lab-editor: the labs they may edit. reviewer: the labs they are in charge of reviewing. */
  labs: string[];
  affiliation?: string;
  /** false suspends the account without deleting its record (e.g. during a transfer). */
  active: boolean;
}

export interface AccessConfig {
  accounts: Account[];
}

export const ROLES: readonly { value: Role; label: string; en: string }[] = [
  { value: "admin", label: "管理者（IPA：すべて。アカウントとサイト設定を含む）", en: "admin" },
  { value: "editor", label: "編集者（IPA：すべてのコンテンツ）", en: "editor" },
  { value: "lab-editor", label: "ラボ編集者（担当ラボのページ・お知らせ・イベントのみ）", en: "lab editor" },
  { value: "reviewer", label: "レビュー担当（IPA：変更を承認する。作成はしない）", en: "reviewer" },
];

/** Short Japanese role names for messages and PR comments. */
export const ROLE_NAMES: Record<Role, string> = {
  admin: "管理者",
  editor: "編集者",
  "lab-editor": "ラボ編集者",
  reviewer: "レビュー担当",
};

/** GitHub's rule: 1–39 letters, digits or single inner hyphens. */
export const LOGIN_PATTERN: [RegExp, string, string] = [
  /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/,
  "GitHubのアカウント名（半角英数字とハイフン、39字まで。@は付けない）を入力してください",
  "must be a GitHub login (letters, digits and single hyphens, up to 39, without @)",
];

export const accessFields: Fields = {
  accounts: list({
    label: "アカウント",
    min: 1,
    summary: "{{fields.name}}（{{fields.login}}｜{{fields.role}}）",
    hint: "CMSで編集できる人と、その人が変更できる範囲です。保存後のプルリクエストは自動で権限チェックされます。",
    fields: {
      login: text({
        label: "GitHubアカウント名",
        pattern: LOGIN_PATTERN,
        hint: "ログインに使うGitHubのアカウント名です（例: nagaoka-iot-tanaka）。リポジトリへの書き込み権限も別途必要です。",
      }),
      name: text({ label: "表示名", max: 60, hint: "例: 長岡市 田中 一郎" }),
      role: select({ label: "役割", options: ROLES.map(({ value, label }): Option => ({ value, label })) }),
      labs: labRelation({
        label: "担当ラボ",
        multiple: true,
        required: false,
        hint: "ラボ編集者は編集できるラボ（1つ以上）、レビュー担当は担当するラボを選びます。管理者・編集者は空欄にします。",
      }),
      affiliation: text({ label: "所属", required: false, hint: "例: 長岡市 商工部 産業イノベーション課" }),
      active: boolean({
        label: "有効",
        default: true,
        hint: "オフにすると、このアカウントの変更はすべて権限チェックで止まります（異動・休職中など）。",
      }),
    },
  }),
};

const LABELS: Record<string, string> = {
  accounts: "アカウント",
  "accounts.login": "GitHubアカウント名",
  "accounts.name": "表示名",
  "accounts.role": "役割",
  "accounts.labs": "担当ラボ",
  "accounts.affiliation": "所属",
  "accounts.active": "有効",
};

/**
 * Validates the access file: the field schema, then rules across fields and files (labs exist,
 * logins unique, lab editors have a lab, someone can still administer). Every message names the
 * file and field, in Japanese and English, like content errors.
 */
export function checkAccess(
  raw: unknown,
  labIds: Iterable<string>,
  file: string = ACCESS_FILE,
): { config?: AccessConfig; problems: string[] } {
  const result = schemaOf(accessFields).safeParse(raw);
  if (!result.success) return { problems: formatIssues(file, result.error.issues, LABELS) };
  const config = result.data as unknown as AccessConfig;
  const known = new Set(labIds);
  const problems: string[] = [];
  const at = (i: number, key: string) => `${file}: 項目「${LABELS[`accounts.${key}`]}」(accounts.${i}.${key})`;
  const seen = new Map<string, number>();

  config.accounts.forEach((a, i) => {
    const lower = a.login.toLowerCase();
    const first = seen.get(lower);
    if (first !== undefined) {
      problems.push(
        `${at(i, "login")}: 「${a.login}」は accounts.${first} と重複しています（大文字・小文字は区別されません） / ` +
          `duplicate login "${a.login}" (same as accounts.${first}; GitHub logins are case-insensitive)`,
      );
    } else seen.set(lower, i);
    for (const id of a.labs) {
      if (!known.has(id)) {
        problems.push(`${at(i, "labs")}: ラボ「${id}」は登録されていません。地方版ラボの一覧から選んでください / unknown lab "${id}"`);
      }
    }
    if (new Set(a.labs).size !== a.labs.length) {
      problems.push(`${at(i, "labs")}: 同じラボが2回以上選ばれています / a lab is listed more than once`);
    }
    if (a.role === "lab-editor" && a.labs.length === 0) {
      problems.push(`${at(i, "labs")}: ラボ編集者には担当ラボを1つ以上選んでください / a lab editor needs at least one lab`);
    }
    if ((a.role === "admin" || a.role === "editor") && a.labs.length > 0) {
      problems.push(
        `${at(i, "labs")}: ${ROLE_NAMES[a.role]}はすべてのラボを扱うため、担当ラボは空欄にしてください / ` +
          `must be empty for the ${a.role} role, which covers every lab`,
      );
    }
  });
  if (!config.accounts.some((a) => a.role === "admin" && a.active)) {
    problems.push(
      `${file}: 項目「アカウント」(accounts): 有効な管理者が1人もいません。アカウントを管理できなくなります / ` +
        "there must be at least one active admin, or nobody can manage accounts",
    );
  }
  return problems.length ? { problems } : { config, problems };
}

/** Like checkAccess but throws a ContentError, for the build and scripts. */
export function parseAccess(raw: unknown, labIds: Iterable<string>, file: string = ACCESS_FILE): AccessConfig {
  const { config, problems } = checkAccess(raw, labIds, file);
  if (!config) throw new ContentError(problems);
  return config;
}

/** Reads JSON, turning a syntax error into the same bilingual, file-naming message. */
export function parseAccessJson(text: string, labIds: Iterable<string>, file: string = ACCESS_FILE): { config?: AccessConfig; problems: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { problems: [`${file}: 読み込めません（JSONの書式を確認してください） / cannot be read as JSON: ${(e as Error).message}`] };
  }
  return checkAccess(raw, labIds, file);
}

/** Lab ids are the file names under content/labs/ (the build requires id = file name). */
export function labIdsIn(contentDir: string): string[] {
  return readdirSync(path.join(contentDir, "labs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => f.slice(0, -".md".length))
    .sort();
}

/** Loads and validates `_data/access.json` of a working copy; throws ContentError when invalid. */
export function loadAccess(root: string): AccessConfig {
  const file = path.join(root, ACCESS_FILE);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ContentError([`${ACCESS_FILE}: 読み込めません / cannot be read: ${(e as Error).message}`]);
  }
  const { config, problems } = parseAccessJson(text, labIdsIn(path.join(root, "content")));
  if (!config) throw new ContentError(problems);
  return config;
}

export function findAccount(access: AccessConfig, login: string): Account | undefined {
  const lower = login.replace(/^@/, "").toLowerCase();
  return access.accounts.find((a) => a.login.toLowerCase() === lower);
}

/**
 * The Decap CMS collection that edits the access file (「アカウントと権限」). Only admins may merge
 * changes to it: the permission check rejects everyone else's pull requests touching the file.
 */
export function accessCollection(): Record<string, unknown> {
  return {
    name: "access",
    label: "アカウントと権限",
    label_singular: "アカウントと権限",
    description:
      "CMSで編集できる人と、その役割・担当ラボです。管理者だけが変更できます（他の人の変更は権限チェックで止まります）。" +
      "管理者・レビュー担当を変えたときは、レビュー依頼先（.github/CODEOWNERS）の再生成も必要です。",
    delete: false,
    editor: { preview: false },
    files: [
      {
        name: "access",
        label: "アカウントと権限",
        file: ACCESS_FILE,
        format: "json",
        fields: Object.entries(accessFields).map(([name, f]) => f.decap(name)),
      },
    ],
  };
}
