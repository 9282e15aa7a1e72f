import { describe, expect, it } from "vitest";
import {
  areaOf,
  checkPermissions,
  formatViolations,
  mediaUsedBy,
  parseFrontMatter,
  summaryMarkdown,
  type Change,
} from "../../../src/access/permissions.ts";
import type { AccessConfig, Account } from "../../../src/access/schema.ts";

const account = (login: string, role: Account["role"], labs: string[] = [], active = true): Account => ({
  login,
  name: `${login} さん`,
  role,
  labs,
  active,
});

const access: AccessConfig = {
  accounts: [
    account("ipa-admin", "admin"),
    account("ipa-editor", "editor"),
    account("ipa-reviewer", "reviewer", ["nagaoka"]),
    account("ipa-reviewer-all", "reviewer"),
    account("nagaoka-staff", "lab-editor", ["nagaoka"]),
    account("tokushima-staff", "lab-editor", ["tokushima-pref", "minami"]),
    account("former-staff", "lab-editor", ["kawakami"], false),
  ],
};
const LAB_IDS = ["nagaoka", "kawakami", "tokushima-pref", "minami"];

// Entry texts as Decap writes them.
const news = (labs?: string[], extra = "") =>
  `---\ntitle: お知らせ\ndate: 2026-11-20\ncategory: notice\nsummary: 概要\n${labs ? `labs: [${labs.join(", ")}]\n` : ""}${extra}---\n本文です。\n`;
const event = (organizer?: string, extra = "") =>
  `---\ntitle: セミナー\nstart: 2026-12-01T13:00:00+09:00\nend: 2026-12-01T15:00:00+09:00\n${organizer ? `organizer: ${organizer}\n` : ""}${extra}summary: 概要\n---\n詳細\n`;
const lab = (id: string, extra = "") => `---\nid: ${id}\nname: ${id} IoT推進ラボ\n${extra}---\n本文\n`;
const page = "---\ntitle: 利用規約\ndescription: 説明\norder: 3\n---\n本文\n";

const side = (path: string, text?: string, mode = "100644") => ({ path, mode, ...(text === undefined ? {} : { text }) });
const add = (path: string, text?: string, mode?: string): Change => ({ status: "added", after: side(path, text, mode) });
const mod = (path: string, before?: string, after?: string): Change => ({ status: "modified", before: side(path, before), after: side(path, after) });
const del = (path: string, text?: string): Change => ({ status: "deleted", before: side(path, text) });
const ren = (from: string, to: string, before?: string, after?: string): Change => ({
  status: "renamed",
  before: side(from, before),
  after: side(to, after ?? before),
});

const N = "content/news/2026-11-20-x.md";
const E = "content/events/2026-12-01-x.md";
const IMG = "content/media/snow-2026.jpg";

/** [what, author, changes, expected: "ok" or the English part of each violation, in order] */
type Case = [string, string, Change[], "ok" | string[]];

const cases: Case[] = [
  // lab-editor: news
  ["lab-editor adds a news item for their lab", "nagaoka-staff", [add(N, news(["nagaoka"]))], "ok"],
  ["lab-editor adds a news item for another lab", "nagaoka-staff", [add(N, news(["kawakami"]))], ["may not create a news item for another lab (kawakami)"]],
  ["lab-editor adds a joint news item with another lab", "nagaoka-staff", [add(N, news(["nagaoka", "kawakami"]))], ["may not create a news item for another lab (kawakami)"]],
  ["lab-editor adds a news item naming no lab", "nagaoka-staff", [add(N, news())], ['must name one of your labs (nagaoka) in "labs"']],
  ["lab-editor edits their news item", "nagaoka-staff", [mod(N, news(["nagaoka"]), news(["nagaoka"], "featured: true\n"))], "ok"],
  ["lab-editor edits another lab's news item", "nagaoka-staff", [mod(N, news(["kawakami"]), news(["kawakami"], "featured: true\n"))], ["may not edit a news item of another lab (kawakami)"]],
  ["lab-editor moves their news item to another lab", "nagaoka-staff", [mod(N, news(["nagaoka"]), news(["kawakami"]))], ["may not move the news item to another lab or add another lab (kawakami)"]],
  ["lab-editor adds another lab to their news item", "nagaoka-staff", [mod(N, news(["nagaoka"]), news(["nagaoka", "kawakami"]))], ["may not move the news item to another lab or add another lab (kawakami)"]],
  ["lab-editor takes a programme-wide news item", "nagaoka-staff", [mod(N, news(), news(["nagaoka"]))], ["may not edit a programme-wide news item (no lab)"]],
  ["lab-editor deletes their news item", "nagaoka-staff", [del(N, news(["nagaoka"]))], "ok"],
  ["lab-editor deletes another lab's news item", "nagaoka-staff", [del(N, news(["kawakami"]))], ["may not delete a news item of another lab (kawakami)"]],
  ["lab-editor renames their news item", "nagaoka-staff", [ren(N, "content/news/2026-11-21-x.md", news(["nagaoka"]))], "ok"],
  ["lab-editor renames another lab's news item", "nagaoka-staff", [ren(N, "content/news/2026-11-21-x.md", news(["kawakami"]))], ["may not rename a news item of another lab (kawakami)"]],
  ["lab-editor edits a joint item of their lab and another", "nagaoka-staff", [mod(N, news(["nagaoka", "kawakami"]), news(["nagaoka"]))], ["may not edit a news item of another lab (kawakami)"]],
  ["lab-editor with two labs moves an item between them", "tokushima-staff", [mod(N, news(["tokushima-pref"]), news(["tokushima-pref", "minami"]))], "ok"],
  ["lab-editor writes broken front matter", "nagaoka-staff", [mod(N, news(["nagaoka"]), "---\ntitle: [broken\n---\n")], ["cannot read the news item's front matter (which lab it belongs to)"]],
  ["lab-editor uses JavaScript front matter", "nagaoka-staff", [add(N, "---js\n{ labs: ['nagaoka'] }\n---\n本文\n")], ["front matter must be YAML (---)"]],
  ["lab-editor writes a non-list labs value", "nagaoka-staff", [add(N, news(undefined, "labs: {a: 1}\n"))], ["cannot read the news item's front matter (which lab it belongs to)"]],
  // lab-editor: events
  ["lab-editor adds their event", "nagaoka-staff", [add(E, event("nagaoka"))], "ok"],
  ["lab-editor adds another lab's event", "nagaoka-staff", [add(E, event("kawakami"))], ["may not create an event for another lab (kawakami)"]],
  ["lab-editor changes the organizer away", "nagaoka-staff", [mod(E, event("nagaoka"), event("kawakami"))], ["may not move the event to another lab or add another lab (kawakami)"]],
  ["lab-editor removes the organizer", "nagaoka-staff", [mod(E, event("nagaoka"), event())], ['must name one of your labs (nagaoka) in "organizer"']],
  ["lab-editor deletes another lab's event", "nagaoka-staff", [del(E, event("kawakami"))], ["may not delete an event of another lab (kawakami)"]],
  // lab-editor: lab pages
  ["lab-editor edits their lab page", "nagaoka-staff", [mod("content/labs/nagaoka.md", lab("nagaoka"), lab("nagaoka", "website: https://example.jp\n"))], "ok"],
  ["lab-editor edits another lab's page", "nagaoka-staff", [mod("content/labs/kawakami.md", lab("kawakami"), lab("kawakami", "website: https://example.jp\n"))], ["may not edit a lab page of another lab (kawakami)"]],
  ["lab-editor adds a new lab", "nagaoka-staff", [add("content/labs/nagaoka-2.md", lab("nagaoka-2"))], ["may not create a new lab (ask IPA to add it)"]],
  ["lab-editor deletes their lab page", "nagaoka-staff", [del("content/labs/nagaoka.md", lab("nagaoka"))], ["may not delete a lab page"]],
  ["lab-editor renames their lab page", "nagaoka-staff", [ren("content/labs/nagaoka.md", "content/labs/nagaoka-city.md", lab("nagaoka"))], ["may not rename a lab page (its lab id)"]],
  ["lab-editor changes their lab's id", "nagaoka-staff", [mod("content/labs/nagaoka.md", lab("nagaoka"), lab("nagaoka-city"))], ['may not change the lab id (must stay "nagaoka")']],
  // lab-editor: everything else
  ["lab-editor edits a fixed page", "nagaoka-staff", [mod("content/pages/terms.md", page, page + "追記\n")], ["only IPA editors may change pages"]],
  ["lab-editor edits site settings", "nagaoka-staff", [mod("_data/site.json")], ["only admins may change site settings (_data/)"]],
  ["lab-editor edits the access file", "nagaoka-staff", [mod("_data/access.json", "{}", "{}")], ["only admins may change the access file (_data/access.json)"]],
  ["lab-editor edits a template", "nagaoka-staff", [mod("src/templates/layouts/base.njk")], ["only admins may change code, templates or configuration (anything outside content/)"]],
  ["lab-editor edits a workflow", "nagaoka-staff", [mod(".github/workflows/pr.yml")], ["only admins may change CI workflows (.github/workflows/)"]],
  ["lab-editor edits package.json", "nagaoka-staff", [mod("package.json")], ["only admins may change code, templates or configuration (anything outside content/)"]],
  ["lab-editor adds a data file inside content/", "nagaoka-staff", [add("content/news/news.11tydata.js")], ["inside content/ only entries (.md in news, events, labs, pages) and uploads (media) are content; other files are admin-only"]],
  ["lab-editor adds a symbolic link", "nagaoka-staff", [add(IMG, undefined, "120000")], ["may not add symbolic links or submodules"]],
  // lab-editor: uploads
  ["lab-editor uploads a photo their new item uses", "nagaoka-staff", [add(N, news(["nagaoka"], "image:\n  src: /media/snow-2026.jpg\n  alt: 除雪車\n")), add(IMG)], "ok"],
  ["lab-editor uploads a PDF their lab page links in the body", "nagaoka-staff", [mod("content/labs/nagaoka.md", lab("nagaoka"), lab("nagaoka") + "\n[資料](/media/guide.pdf)\n"), add("content/media/guide.pdf")], "ok"],
  ["lab-editor uploads a file no entry uses", "nagaoka-staff", [add(IMG)], ["may only upload files that your lab's entries in this pull request use"]],
  [
    "lab-editor uploads a photo for another lab's item",
    "nagaoka-staff",
    [add(N, news(["kawakami"], "image:\n  src: /media/snow-2026.jpg\n  alt: x\n")), add(IMG)],
    ["may not create a news item for another lab (kawakami)", "may only upload files that your lab's entries in this pull request use"],
  ],
  ["lab-editor overwrites an existing upload", "nagaoka-staff", [mod(IMG)], ["may not overwrite an existing upload (other labs' pages may use it; ask IPA); upload it under a new name"]],
  ["lab-editor deletes an upload", "nagaoka-staff", [del(IMG)], ["may not delete an existing upload (other labs' pages may use it; ask IPA); upload it under a new name"]],
  [
    "lab-editor moves their news item into pages",
    "nagaoka-staff",
    [ren(N, "content/pages/x.md", news(["nagaoka"]))],
    ["only IPA editors may change pages"],
  ],
  [
    "every violation is listed",
    "nagaoka-staff",
    [add(N, news(["nagaoka"])), mod("_data/site.json"), del(E, event("kawakami")), mod("src/x.ts")],
    ["only admins may change site settings (_data/)", "may not delete an event of another lab (kawakami)", "only admins may change code, templates or configuration (anything outside content/)"],
  ],
  // editor
  ["editor edits any lab's items and pages", "ipa-editor", [mod(N, news(["kawakami"]), news(["nagaoka"])), add("content/labs/new-lab.md", lab("new-lab")), mod("content/pages/terms.md", page, page), del(IMG)], "ok"],
  ["editor edits site settings", "ipa-editor", [mod("_data/site.json")], ["only admins may change site settings (_data/)"]],
  ["editor touches the access file", "ipa-editor", [mod("_data/access.json", "{}", "{}")], ["only admins may change the access file (_data/access.json)"]],
  ["editor edits code", "ipa-editor", [mod("scripts/build.ts")], ["only admins may change code, templates or configuration (anything outside content/)"]],
  ["editor edits a workflow", "ipa-editor", [add(".github/workflows/x.yml")], ["only admins may change CI workflows (.github/workflows/)"]],
  ["editor uses JavaScript front matter", "ipa-editor", [add(N, "---javascript\nmodule.exports = {}\n---\n")], ["front matter must be YAML (---)"]],
  // admin
  [
    "admin changes anything",
    "ipa-admin",
    [mod("src/x.ts"), add(".github/workflows/x.yml"), mod("_data/site.json"), add("content/news/news.11tydata.js"), add(IMG, undefined, "120000"), mod("content/labs/kawakami.md", lab("kawakami"), lab("other"))],
    "ok",
  ],
  ["admin edits the access file", "ipa-admin", [mod("_data/access.json", "{}", JSON.stringify({ accounts: [{ login: "ipa-admin", name: "管理者", role: "admin" }] }))], "ok"],
  ["admin deletes the access file", "ipa-admin", [del("_data/access.json", "{}")], ["the access file may not be deleted or moved"]],
  // reviewer, unknown, suspended
  ["reviewer authors a change", "ipa-reviewer", [mod(N, news(["nagaoka"]), news(["nagaoka"]))], ["reviewers approve changes and may not author them"]],
  ["unknown author", "stranger", [add(N, news(["nagaoka"]))], ['account "stranger" is not listed in _data/access.json, so it may not change anything; ask an admin to add it']],
  ["suspended account", "former-staff", [add(N, news(["kawakami"]))], ['account "former-staff" is suspended (active: false) and may not change anything']],
  ["logins are case-insensitive and may carry @", "@Nagaoka-Staff", [add(N, news(["nagaoka"]))], "ok"],
  ["an empty pull request", "nagaoka-staff", [], "ok"],
];

describe("権限チェック: 作成者 × 変更内容", () => {
  it.each(cases)("%s", (_what, author, changes, expected) => {
    const result = checkPermissions({ author, access, changes, headLabIds: LAB_IDS });
    expect(result.violations.map((v) => v.en)).toEqual(expected === "ok" ? [] : expected);
    // Every violation reads in Japanese as well.
    for (const v of result.violations) expect(v.ja).toMatch(/[ぁ-んァ-ヶ一-龠]/);
  });

  it("names the file and both languages in each line", () => {
    const result = checkPermissions({ author: "nagaoka-staff", access, changes: [add(N, news(["kawakami"])), mod("_data/site.json")] });
    const text = formatViolations(result);
    expect(text).toContain("権限チェック: 2 件の問題があります / Permission check failed: 2 problem(s)");
    expect(text).toContain(`${N}: 他のラボ（kawakami）のお知らせは作成できません / may not create a news item for another lab (kawakami)`);
    expect(text).toContain("_data/site.json: サイト設定（_data/）は管理者だけが変更できます / only admins may change site settings (_data/)");
  });

  it("validates a changed access file with the head's labs", () => {
    const bad = { accounts: [{ login: "ipa-admin", name: "管理者", role: "owner", labs: [] }, { login: "x", name: "x", role: "lab-editor", labs: ["ghost"] }] };
    const result = checkPermissions({ author: "ipa-admin", access, changes: [mod("_data/access.json", "{}", JSON.stringify(bad))], headLabIds: LAB_IDS });
    const text = result.violations.map((v) => v.en).join("\n");
    expect(text).toContain("_data/access.json: 項目「役割」(accounts.0.role)");
    expect(result.violations.every((v) => v.ja === "変更後の設定に誤りがあります")).toBe(true);
  });

  it("reports the labs touched before and after", () => {
    const result = checkPermissions({ author: "ipa-editor", access, changes: [mod(N, news(["kawakami"]), news(["nagaoka"])), add(E, event("minami"))] });
    expect(result.labs).toEqual(["kawakami", "minami", "nagaoka"]);
  });
});

describe("PRコメント用の概要", () => {
  it("counts files per area, names labs and the reviewers in charge", () => {
    const result = checkPermissions({
      author: "nagaoka-staff",
      access,
      changes: [add(N, news(["nagaoka"], "image:\n  src: /media/snow-2026.jpg\n  alt: x\n")), add(IMG), ren("content/news/a.md", "content/news/b.md", news(["nagaoka"]))],
    });
    const md = summaryMarkdown(result, { access, labNames: { nagaoka: "長岡市IoT推進ラボ" } });
    expect(md).toContain("作成者 / Author: nagaoka-staff さん (@nagaoka-staff, ラボ編集者 / lab-editor: nagaoka)");
    expect(md).toContain("| インフォメーション (news) | 1 | 0 | 0 | 1 |");
    expect(md).toContain("| アップロードファイル (media) | 1 | 0 | 0 | 0 |");
    expect(md).toContain("関係するラボ / Labs: 長岡市IoT推進ラボ (nagaoka)");
    expect(md).toContain("レビュー依頼先 / Suggested reviewers: @ipa-reviewer @ipa-reviewer-all");
    expect(md).toContain("✅ 問題ありません / passed");
  });

  it("lists violations and asks every reviewer when no lab is involved", () => {
    const result = checkPermissions({ author: "stranger", access, changes: [mod("content/pages/terms.md", page, page)] });
    const md = summaryMarkdown(result, { access });
    expect(md).toContain("❌ 1 件の問題 / 1 problem(s)");
    expect(md).toContain("stranger（未登録 / not registered）");
    expect(md).toContain("@ipa-reviewer @ipa-reviewer-all");
  });
});

describe("パスの区分とフロントマター", () => {
  it.each([
    ["content/news/2026-11-20-x.md", "entry"],
    ["content/labs/nagaoka.md", "entry"],
    ["content/media/a.jpg", "media"],
    ["content/media/sub/a.jpg", "content-other"],
    ["content/news/sub/x.md", "content-other"],
    ["content/news/x.njk", "content-other"],
    ["_data/access.json", "access"],
    ["_data/site.json", "settings"],
    [".github/workflows/pr.yml", "workflow"],
    [".github/CODEOWNERS", "code"],
    ["README.md", "code"],
  ])("%s → %s", (file, kind) => {
    expect(areaOf(file).kind).toBe(kind);
  });

  it("reads YAML front matter like the build (BOM, CRLF, none) and refuses other languages", () => {
    expect(parseFrontMatter("\uFEFF---\r\nlabs: [a]\r\n---\r\nbody")).toEqual({ ok: true, data: { labs: ["a"] }, body: "body" });
    expect(parseFrontMatter("no front matter")).toEqual({ ok: true, data: {}, body: "no front matter" });
    expect(parseFrontMatter("---json\n{}\n---\n")).toEqual({ ok: false, reason: "language" });
    expect(parseFrontMatter("---\nlabs: [a]\nlabs: [b]\n---\n")).toEqual({ ok: false, reason: "yaml" });
  });

  it("finds uploads used in front matter at any depth and in the body", () => {
    const used = mediaUsedBy(
      { image: { src: "/media/a.jpg" }, photos: [{ src: "/media/b%20c.jpg" }], attachments: [{ file: "/media/d.pdf", label: "x" }], website: "https://example.jp/media/x" },
      "![写真](/media/e.png)\n\n[資料](/media/f.pdf)",
    );
    expect(used.sort()).toEqual(["content/media/a.jpg", "content/media/b c.jpg", "content/media/d.pdf", "content/media/e.png", "content/media/f.pdf"]);
  });
});
