import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { codeowners, reviewersForLab, suggestedReviewers } from "../../../src/access/permissions.ts";
import { loadAccess, type AccessConfig, type Account } from "../../../src/access/schema.ts";
import { ROOT } from "../../../src/options.ts";
import { codeownersStatus } from "../../../scripts/codeowners.ts";
import { tempDir } from "../../helpers/build.ts";

const account = (login: string, role: Account["role"], labs: string[] = [], active = true): Account => ({ login, name: login, role, labs, active });
const access: AccessConfig = {
  accounts: [
    account("zz-admin", "admin"),
    account("aa-admin", "admin"),
    account("gone-admin", "admin", [], false),
    account("ipa-editor", "editor"),
    account("east-reviewer", "reviewer", ["nagaoka", "kawakami"]),
    account("west-reviewer", "reviewer", ["minami"]),
    account("pool-reviewer", "reviewer"),
    account("nagaoka-staff", "lab-editor", ["nagaoka"]),
  ],
};

/** The owners of the last CODEOWNERS line matching `pattern` exactly. */
const ownersOf = (text: string, pattern: string) =>
  text
    .split("\n")
    .filter((l) => l.split(/\s+/)[0] === pattern)
    .at(-1)
    ?.split(/\s+/)
    .slice(1);

describe("CODEOWNERS の生成", () => {
  const text = codeowners(access);

  it("admins own everything by default; inactive accounts are left out", () => {
    expect(ownersOf(text, "*")).toEqual(["@aa-admin", "@zz-admin"]);
    expect(text).not.toContain("gone-admin");
  });

  it("entries and uploads: any reviewer or an admin", () => {
    for (const p of ["/content/news/*.md", "/content/events/*.md", "/content/labs/*.md", "/content/pages/*.md", "/content/media/"]) {
      expect(ownersOf(text, p)).toEqual(["@east-reviewer", "@pool-reviewer", "@west-reviewer", "@aa-admin", "@zz-admin"]);
    }
  });

  it("a lab page: its reviewers in charge, the general pool and admins, after the generic line", () => {
    expect(ownersOf(text, "/content/labs/nagaoka.md")).toEqual(["@east-reviewer", "@pool-reviewer", "@aa-admin", "@zz-admin"]);
    expect(ownersOf(text, "/content/labs/minami.md")).toEqual(["@pool-reviewer", "@west-reviewer", "@aa-admin", "@zz-admin"]);
    expect(text.indexOf("/content/labs/nagaoka.md")).toBeGreaterThan(text.indexOf("/content/labs/*.md"));
    expect(ownersOf(text, "/content/labs/sarufutsu.md")).toBeUndefined();
  });

  it("lab staff and editors never own anything (their approval must not replace IPA's review)", () => {
    expect(text).not.toContain("@nagaoka-staff");
    expect(text).not.toContain("@ipa-editor");
  });

  it("does not depend on the order of accounts", () => {
    expect(codeowners({ accounts: [...access.accounts].reverse() })).toBe(text);
  });

  it("falls back to admins when there is no reviewer", () => {
    const only = codeowners({ accounts: [account("aa-admin", "admin")] });
    expect(ownersOf(only, "/content/news/*.md")).toEqual(["@aa-admin"]);
  });

  it("suggests the same reviewers for news and events as for lab pages", () => {
    expect(reviewersForLab(access, "kawakami")).toEqual(["east-reviewer", "pool-reviewer"]);
    expect(reviewersForLab(access, "sarufutsu")).toEqual(["east-reviewer", "pool-reviewer", "west-reviewer"]);
    expect(suggestedReviewers(access, ["nagaoka", "minami"])).toEqual(["east-reviewer", "pool-reviewer", "west-reviewer"]);
    expect(suggestedReviewers(access, [])).toEqual(["east-reviewer", "pool-reviewer", "west-reviewer"]);
  });
});

describe("CODEOWNERS の鮮度（--check / --write）", () => {
  it("the repository's .github/CODEOWNERS matches _data/access.json", () => {
    expect(readFileSync(path.join(ROOT, ".github/CODEOWNERS"), "utf8")).toBe(codeowners(loadAccess(ROOT)));
  });

  it("--check fails when the access file changes, --write fixes it", () => {
    const root = tempDir("codeowners-");
    cpSync(path.join(ROOT, "content/labs"), path.join(root, "content/labs"), { recursive: true });
    mkdirSync(path.join(root, "_data"));
    cpSync(path.join(ROOT, "_data/access.json"), path.join(root, "_data/access.json"));
    const cli = (...args: string[]) => {
      try {
        return { code: 0, out: execFileSync(process.execPath, [path.join(ROOT, "scripts/codeowners.ts"), "--repo", root, ...args], { encoding: "utf8", stdio: "pipe" }) };
      } catch (e) {
        const err = e as { status: number; stderr: string };
        return { code: err.status, out: err.stderr };
      }
    };

    expect(cli("--check")).toMatchObject({ code: 1, out: expect.stringContaining(".github/CODEOWNERS is missing") });
    expect(cli("--write").code).toBe(0);
    expect(cli("--check").code).toBe(0);
    expect(codeownersStatus(root).fresh).toBe(true);

    const raw = JSON.parse(readFileSync(path.join(root, "_data/access.json"), "utf8")) as { accounts: unknown[] };
    raw.accounts.push({ login: "new-reviewer", name: "IPA 新任", role: "reviewer", labs: ["wakkanai"] });
    writeFileSync(path.join(root, "_data/access.json"), JSON.stringify(raw, null, 2));
    const stale = cli("--check");
    expect(stale.code).toBe(1);
    expect(stale.out).toContain("一致しません");
    expect(stale.out).toContain(".github/CODEOWNERS is stale: run `node scripts/codeowners.ts --write` and commit it");
    expect(cli("--write").code).toBe(0);
    expect(readFileSync(path.join(root, ".github/CODEOWNERS"), "utf8")).toContain("/content/labs/wakkanai.md");
  });

  it("refuses to generate from an invalid access file", () => {
    const root = tempDir("codeowners-bad-");
    cpSync(path.join(ROOT, "content/labs"), path.join(root, "content/labs"), { recursive: true });
    mkdirSync(path.join(root, "_data"));
    writeFileSync(path.join(root, "_data/access.json"), JSON.stringify({ accounts: [{ login: "a", name: "a", role: "admin", labs: ["ghost"] }] }));
    expect(() => codeownersStatus(root)).toThrow(/unknown lab "ghost"/);
  });
});
