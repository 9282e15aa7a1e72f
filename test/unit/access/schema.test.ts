import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { accessCollection, accessFields, checkAccess, labIdsIn, loadAccess, parseAccessJson, ROLES } from "../../../src/access/schema.ts";
import { ContentError } from "../../../src/schema/errors.ts";
import type { DecapField } from "../../../src/schema/fields.ts";
import { ROOT } from "../../../src/options.ts";

const LAB_IDS = labIdsIn(path.join(ROOT, "content"));
const valid = () => ({
  accounts: [
    { login: "ipa-admin", name: "IPA 管理者", role: "admin", labs: [], active: true },
    { login: "nagaoka-staff", name: "長岡市 職員", role: "lab-editor", labs: ["nagaoka"] },
    { login: "ipa-reviewer", name: "IPA 審査", role: "reviewer", labs: ["nagaoka", "kawakami"], affiliation: "" },
  ],
});
const problemsOf = (raw: unknown) => checkAccess(raw, LAB_IDS).problems;

describe("アカウントと権限の設定ファイル（_data/access.json）", () => {
  it("the sample file is valid and covers every role and existing labs", () => {
    const access = loadAccess(ROOT);
    expect(new Set(access.accounts.map((a) => a.role))).toEqual(new Set(ROLES.map((r) => r.value)));
    for (const a of access.accounts) for (const id of a.labs) expect(LAB_IDS).toContain(id);
    expect(access.accounts.some((a) => !a.active)).toBe(true);
  });

  it("fills defaults: labs empty, accounts active", () => {
    const { config } = checkAccess(valid(), LAB_IDS);
    expect(config?.accounts[1]).toMatchObject({ labs: ["nagaoka"], active: true });
    expect(config?.accounts[2]?.affiliation).toBeUndefined();
  });

  it.each<[string, (raw: ReturnType<typeof valid>) => void, string]>([
    [
      "unknown lab id",
      (r) => (r.accounts[1]!.labs = ["ghost-lab"]),
      '_data/access.json: 項目「担当ラボ」(accounts.1.labs): ラボ「ghost-lab」は登録されていません。地方版ラボの一覧から選んでください / unknown lab "ghost-lab"',
    ],
    [
      "unknown role",
      (r) => (r.accounts[1]!.role = "owner"),
      "_data/access.json: 項目「役割」(accounts.1.role): 選択肢にない値です。次のいずれかにしてください: admin, editor, lab-editor, reviewer / must be one of: admin, editor, lab-editor, reviewer",
    ],
    [
      "duplicate login, whatever the letter case",
      (r) => r.accounts.push({ login: "Nagaoka-Staff", name: "重複", role: "editor", labs: [] }),
      '_data/access.json: 項目「GitHubアカウント名」(accounts.3.login): 「Nagaoka-Staff」は accounts.1 と重複しています（大文字・小文字は区別されません） / duplicate login "Nagaoka-Staff" (same as accounts.1; GitHub logins are case-insensitive)',
    ],
    [
      "login that is not a GitHub login",
      (r) => (r.accounts[1]!.login = "@nagaoka staff"),
      "_data/access.json: 項目「GitHubアカウント名」(accounts.1.login): GitHubのアカウント名（半角英数字とハイフン、39字まで。@は付けない）を入力してください / must be a GitHub login",
    ],
    [
      "missing display name",
      (r) => (r.accounts[1]!.name = ""),
      "_data/access.json: 項目「表示名」(accounts.1.name): 必須項目です。入力してください / is required",
    ],
    [
      "lab editor without a lab",
      (r) => (r.accounts[1]!.labs = []),
      "_data/access.json: 項目「担当ラボ」(accounts.1.labs): ラボ編集者には担当ラボを1つ以上選んでください / a lab editor needs at least one lab",
    ],
    [
      "admin with labs",
      (r) => (r.accounts[0]!.labs = ["nagaoka"]),
      "_data/access.json: 項目「担当ラボ」(accounts.0.labs): 管理者はすべてのラボを扱うため、担当ラボは空欄にしてください / must be empty for the admin role, which covers every lab",
    ],
    [
      "no active admin left",
      (r) => ((r.accounts[0] as { active: boolean }).active = false),
      "_data/access.json: 項目「アカウント」(accounts): 有効な管理者が1人もいません。アカウントを管理できなくなります / there must be at least one active admin, or nobody can manage accounts",
    ],
  ])("%s → a bilingual error naming the file and field", (_what, breakIt, message) => {
    const raw = valid();
    breakIt(raw);
    const problems = problemsOf(raw);
    expect(problems.some((p) => p.startsWith(message))).toBe(true);
  });

  it("reports a JSON syntax error with the file name", () => {
    const { problems } = parseAccessJson('{"accounts": [', LAB_IDS);
    expect(problems[0]).toMatch(/^_data\/access\.json: 読み込めません（JSONの書式を確認してください） \/ cannot be read as JSON/);
  });

  it("loadAccess throws a ContentError for the build", () => {
    expect(() => loadAccess(path.join(ROOT, "test"))).toThrow(ContentError);
  });
});

describe("Decap CMS のコレクション「アカウントと権限」", () => {
  const collection = accessCollection() as { name: string; label: string; files: { file: string; format: string; fields: DecapField[] }[] };
  const file = collection.files[0]!;
  const accounts = file.fields[0]!;
  const sub = Object.fromEntries((accounts.fields as DecapField[]).map((f) => [f.name, f]));

  it("edits _data/access.json as JSON, with the fields of the schema", () => {
    expect(collection.label).toBe("アカウントと権限");
    expect(file).toMatchObject({ file: "_data/access.json", format: "json" });
    expect(accounts).toMatchObject({ name: "accounts", widget: "list", min: 1 });
    expect(Object.keys(sub)).toEqual(["login", "name", "role", "labs", "affiliation", "active"]);
    expect(sub.role).toMatchObject({ widget: "select", options: ROLES.map(({ value, label }) => ({ value, label })) });
    expect(sub.labs).toMatchObject({ widget: "relation", collection: "labs", value_field: "id", multiple: true, required: false });
    expect(sub.active).toMatchObject({ widget: "boolean", default: true });
  });

  it("the CMS and the build accept the same logins", () => {
    const cms = new RegExp((sub.login!.pattern as [string, string])[0]);
    for (const login of ["nagaoka-iot-tanaka", "a", "A1-b2", "-bad", "bad-", "two--hyphens", "has space", "@at", "x".repeat(39), "x".repeat(40)]) {
      const raw = { accounts: [{ login: "ipa-admin", name: "管理者", role: "admin" }, { login, name: "x", role: "editor" }] };
      const buildOk = !problemsOf(raw).some((p) => p.includes("(accounts.1.login)"));
      expect(cms.test(login), login).toBe(buildOk);
    }
    expect(accessFields.accounts!.required).toBe(true);
  });

  it("the sample file parses as the CMS would save it (same JSON shape)", () => {
    const raw = JSON.parse(readFileSync(path.join(ROOT, "_data/access.json"), "utf8")) as { accounts: Record<string, unknown>[] };
    const keys = new Set(raw.accounts.flatMap((a) => Object.keys(a)));
    for (const k of keys) expect(Object.keys(sub)).toContain(k);
  });
});
