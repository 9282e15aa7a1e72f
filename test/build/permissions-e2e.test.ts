import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../src/options.ts";
import { tempDir } from "../helpers/build.ts";

/**
 * The permission check as CI runs it: a real git repository with the sample content on main,
 * Decap-style branches cms/<collection>/<slug> committed by lab staff, and the real CLI.
 */
let repo: string;

const git = (...args: string[]) =>
  execFileSync("git", ["-C", repo, "-c", "user.name=Decap CMS", "-c", "user.email=cms@example.jp", "-c", "commit.gpgsign=false", ...args], {
    encoding: "utf8",
    stdio: "pipe",
  });

/** Commits `edit` on a new branch from main (like Decap's "save"), then returns to main. */
function branch(name: string, edit: () => void, from = "main") {
  git("checkout", "-q", "-b", name, from);
  edit();
  git("add", "-A");
  git("commit", "-q", "-m", `${name} を保存`);
  git("checkout", "-q", "main");
}

const file = (rel: string) => path.join(repo, rel);
const write = (rel: string, text: string | Buffer) => writeFileSync(file(rel), text);
const read = (rel: string) => readFileSync(file(rel), "utf8");

function check(author: string, head: string, base = "main") {
  const summary = path.join(tempDir("summary-"), "summary.md");
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, "scripts/check-permissions.ts"), "--repo", repo, "--author", author, "--base", base, "--head", head, "--summary-file", summary],
    { cwd: ROOT, encoding: "utf8" },
  );
  let md = "";
  try {
    md = readFileSync(summary, "utf8");
  } catch {
    // no summary on usage errors
  }
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, summary: md };
}

const NEWS = (labs: string, extra = "") => `---
title: 除雪車センサーの実証を拡大しました
date: 2026-12-01
category: report
summary: 市内の除雪車に路面センサーを追加しました。
labs: [${labs}]
${extra}---

市内の除雪車20台に路面センサーを追加しました。
`;

const STAFF = "nagaoka-iot-tanaka"; // lab-editor of nagaoka in the sample _data/access.json

beforeAll(() => {
  repo = tempDir("permissions-e2e-");
  cpSync(path.join(ROOT, "content"), file("content"), { recursive: true });
  cpSync(path.join(ROOT, "_data"), file("_data"), { recursive: true });
  execFileSync("git", ["init", "-q", "-b", "main", repo]);
  git("add", "-A");
  git("commit", "-q", "-m", "サンプルコンテンツ");

  branch("cms/news/2026-12-01-nagaoka-snow", () => {
    write("content/news/2026-12-01-nagaoka-snow.md", NEWS("nagaoka", "image:\n  src: /media/snow-plow-2026.jpg\n  alt: 路面センサーを付けた除雪車\n"));
    write("content/media/snow-plow-2026.jpg", Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
  });
  branch("cms/news/2026-12-01-kawakami", () => write("content/news/2026-12-01-kawakami.md", NEWS("kawakami")));
  branch("cms/news/2026-03-18-nagaoka-smart-snow-removal-report", () => {
    const f = "content/news/2026-03-18-nagaoka-smart-snow-removal-report.md";
    write(f, read(f).replace("labs: [nagaoka]", "labs: [nagaoka, kawakami]"));
  });
  branch("cms/news/2026-12-01-with-settings", () => {
    write("content/news/2026-12-01-with-settings.md", NEWS("nagaoka"));
    write("_data/site.json", read("_data/site.json").replace(/"name": "[^"]*"/, '"name": "長岡市のサイト"'));
  });
  branch("cms/news/rename-own", () => {
    git("mv", "content/news/2026-03-18-nagaoka-smart-snow-removal-report.md", "content/news/2026-03-19-nagaoka-smart-snow-removal-report.md");
  });
  branch("cms/news/delete-other", () => rmSync(file("content/news/2025-06-27-kawakami-smart-agri-sensor.md")));
  branch("cms/news/grant-myself", () => {
    write("_data/access.json", read("_data/access.json").replace('"labs": ["nagaoka"]', '"labs": ["nagaoka", "kawakami"]'));
    write("content/news/2026-12-01-kawakami.md", NEWS("kawakami"));
  });
  // main moves on after a branch was opened: the check looks only at the branch's own changes.
  branch("cms/news/2026-12-05-nagaoka-late", () => write("content/news/2026-12-05-nagaoka-late.md", NEWS("nagaoka")));
  const other = "content/news/2025-06-27-kawakami-smart-agri-sensor.md";
  write(other, read(other).replace("featured: false", "featured: true"));
  git("commit", "-q", "-am", "IPAが川上村の記事をおすすめに設定");
});

describe("プルリクエストの権限チェック（実際のgitリポジトリとCLI）", () => {
  it("ラボ編集者が自分のラボのお知らせと写真を追加 → 通る", () => {
    const r = check(STAFF, "cms/news/2026-12-01-nagaoka-snow");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("権限チェック: 問題ありません / Permission check passed");
    expect(r.summary).toContain("作成者 / Author: 長岡市 田中 一郎 (@nagaoka-iot-tanaka, ラボ編集者 / lab-editor: nagaoka)");
    expect(r.summary).toContain("| インフォメーション (news) | 1 | 0 | 0 | 0 |");
    expect(r.summary).toContain("| アップロードファイル (media) | 1 | 0 | 0 | 0 |");
    expect(r.summary).toContain("関係するラボ / Labs: 長岡市IoT推進ラボ (nagaoka)");
    expect(r.summary).toContain("レビュー依頼先 / Suggested reviewers: @ipa-kobayashi-jun @ipa-watanabe-naoki");
    expect(r.summary).toContain("✅");
  });

  it("他のラボのお知らせを作成 → 失敗し、日英で理由を示す", () => {
    const r = check(STAFF, "cms/news/2026-12-01-kawakami");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("権限チェック: 1 件の問題があります / Permission check failed: 1 problem(s)");
    expect(r.stderr).toContain(
      "content/news/2026-12-01-kawakami.md: 他のラボ（kawakami）のお知らせは作成できません / may not create a news item for another lab (kawakami)",
    );
    expect(r.summary).toContain("❌ 1 件の問題 / 1 problem(s)");
  });

  it("自分の記事に他のラボを追加 → 失敗", () => {
    const r = check(STAFF, "cms/news/2026-03-18-nagaoka-smart-snow-removal-report");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("他のラボ（kawakami）に移したり、他のラボを追加したりすることはできません / may not move the news item to another lab or add another lab (kawakami)");
  });

  it("お知らせと一緒にサイト設定を変更 → 設定の変更だけが問題として挙がる", () => {
    const r = check(STAFF, "cms/news/2026-12-01-with-settings");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("_data/site.json: サイト設定（_data/）は管理者だけが変更できます / only admins may change site settings (_data/)");
    expect(r.stderr).not.toContain("2026-12-01-with-settings.md:");
  });

  it("自分の記事のファイル名を変更（git が名前変更として検出） → 通る", () => {
    const r = check(STAFF, "cms/news/rename-own");
    expect(r.code).toBe(0);
    expect(r.summary).toContain("| インフォメーション (news) | 0 | 0 | 0 | 1 |");
  });

  it("他のラボの記事を削除 → 失敗", () => {
    const r = check(STAFF, "cms/news/delete-other");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "content/news/2025-06-27-kawakami-smart-agri-sensor.md: 他のラボ（kawakami）のお知らせは削除できません / may not delete a news item of another lab (kawakami)",
    );
  });

  it("同じプルリクエストで自分に権限を与えても効かない（権限はベースの設定で判断）", () => {
    const r = check(STAFF, "cms/news/grant-myself");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Permission check failed: 2 problem(s)");
    expect(r.stderr).toContain("_data/access.json: アカウントと権限の設定（_data/access.json）は管理者だけが変更できます");
    expect(r.stderr).toContain("may not create a news item for another lab (kawakami)");
  });

  it("ブランチ作成後に main が進んでも、そのブランチの変更だけを見る", () => {
    const r = check(STAFF, "cms/news/2026-12-05-nagaoka-late");
    expect(r.code).toBe(0);
    expect(r.summary).toContain("| インフォメーション (news) | 1 | 0 | 0 | 0 |");
  });

  it("同じ変更でも、編集者なら他のラボの記事を作成できる / 管理者は設定も変更できる", () => {
    expect(check("ipa-suzuki-hanako", "cms/news/2026-12-01-kawakami").code).toBe(0);
    expect(check("ipa-suzuki-hanako", "cms/news/2026-12-01-with-settings").code).toBe(1);
    expect(check("ipa-sato-misaki", "cms/news/2026-12-01-with-settings").code).toBe(0);
  });

  it("登録されていない作成者・レビュー担当・利用停止中のアカウント → 失敗", () => {
    const unknown = check("someone-else", "cms/news/2026-12-01-nagaoka-snow");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('アカウント「someone-else」は _data/access.json に登録されていないため、変更できません。管理者に登録を依頼してください / account "someone-else" is not listed');
    const reviewer = check("ipa-watanabe-naoki", "cms/news/2026-12-01-nagaoka-snow");
    expect(reviewer.code).toBe(1);
    expect(reviewer.stderr).toContain("reviewers approve changes and may not author them");
    expect(check("fukuoka-city-inoue", "cms/news/2026-12-01-nagaoka-snow").stderr).toContain("is suspended");
  });

  it("引数の誤りは終了コード2", () => {
    expect(check(STAFF, "no-such-branch").code).toBe(2);
    const r = spawnSync(process.execPath, [path.join(ROOT, "scripts/check-permissions.ts"), "--repo", repo], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--author, --base and --head are required");
  });
});
