/**
 * The restore drill: a copy of this project as a git repository (with an editor's unpublished
 * cms/* branch), checked out the way CI checks it out, built, backed up, restored into an empty
 * folder from the backup alone, built again there: both sites must be identical, file by file.
 */
import { execFile, execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync, appendFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../src/options.ts";
import { pruneBackups, type BackupManifest } from "../../scripts/backup.ts";
import { TEST_NOW, tempDir } from "../helpers/build.ts";

const exec = promisify(execFile);

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8" }).trim();
}

async function script(name: string, args: string[], cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  // The restored build must not borrow the developer's image cache: it starts from the backup.
  const env = { ...process.env };
  delete env.SITE_IMAGE_CACHE;
  try {
    const { stdout, stderr } = await exec(process.execPath, [path.join(ROOT, "scripts", name), ...args], { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** Reuses the installed packages; a real restore runs `npm ci` (restore.ts --install). */
function linkNodeModules(repo: string) {
  symlinkSync(path.join(ROOT, "node_modules"), path.join(repo, "node_modules"), "dir");
  appendFileSync(path.join(repo, ".git/info/exclude"), "/node_modules\n");
}

const CMS_BRANCH = "cms/news/2026-11-30-drill-unpublished";
const DRAFT = "content/news/2026-11-30-drill-unpublished.md";

describe("バックアップと復元の訓練", () => {
  let project: string; // the repository as on GitHub
  let checkout: string; // what the nightly job sees (actions/checkout, fetch-depth 0)
  let siteA: string;
  let backupsDir: string;
  let backup: string;

  beforeAll(async () => {
    const base = tempDir("drill-");
    project = path.join(base, "project");
    // The working tree as a commit of it would contain: tracked files plus new, not ignored ones.
    const list = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
    for (const file of list.split("\0").filter(Boolean)) {
      const from = path.join(ROOT, file);
      if (!existsSync(from)) continue; // deleted in the working tree
      mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
      cpSync(from, path.join(project, file));
    }
    git(project, "init", "-q", "-b", "main");
    git(project, "config", "user.name", "Drill");
    git(project, "config", "user.email", "drill@example.jp");
    git(project, "add", "-A");
    git(project, "commit", "-q", "-m", "project as of the drill");

    // An editor's change waiting for review: on its own branch, not on main, not on the site.
    git(project, "checkout", "-q", "-b", CMS_BRANCH);
    writeFileSync(
      path.join(project, DRAFT),
      "---\ntitle: 訓練用の未公開のお知らせ\ndate: 2026-11-30\ncategory: notice\nfeatured: false\nsummary: 復元訓練で使う未公開の記事です。\n---\n\n本文です。\n",
    );
    git(project, "add", DRAFT);
    git(project, "commit", "-q", "-m", "Create News “2026-11-30-drill-unpublished”");
    git(project, "checkout", "-q", "main");

    // CI's checkout: main is local, cms/* exist only as refs/remotes/origin/cms/*.
    checkout = path.join(base, "checkout");
    git(base, "clone", "-q", project, checkout);
    linkNodeModules(checkout);
    // Like CI's cached .cache/img, so only the restored build (which has no cache) runs cold.
    if (existsSync(path.join(ROOT, ".cache/img"))) cpSync(path.join(ROOT, ".cache/img"), path.join(checkout, ".cache/img"), { recursive: true });
    siteA = path.join(base, "site-original");
    const built = await exec(process.execPath, [path.join(checkout, "scripts/build.ts"), "--output", siteA, "--now", TEST_NOW], { cwd: checkout });
    expect(built.stdout).toContain("Site built");
    backupsDir = path.join(base, "backups");
  }, 600_000);

  it("バックアップ: 全ブランチの履歴（cms/* を含む）、生成済みサイト、チェックサム付きのマニフェスト", async () => {
    const made = await script("backup.ts", ["--repo", checkout, "--site", siteA, "--site-now", TEST_NOW, "--out", backupsDir]);
    expect(made.code, made.stderr).toBe(0);
    backup = made.stdout.trim();
    expect(path.basename(backup)).toMatch(/^backup-\d{8}T\d{6}Z$/);
    expect(readdirSync(backup).sort()).toEqual(["manifest.json", "refs.txt", "repo.bundle", "site.tar.gz"]);

    const manifest = JSON.parse(readFileSync(path.join(backup, "manifest.json"), "utf8")) as BackupManifest;
    expect(manifest.git).toEqual({ head: git(checkout, "rev-parse", "HEAD"), branch: "main", refs: 4, cmsBranches: [CMS_BRANCH] });
    expect(manifest.site).toEqual({ now: TEST_NOW, files: files(siteA).length });
    for (const part of Object.values(manifest.files)) expect(part.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(path.join(backup, "refs.txt"), "utf8")).toContain(`${git(project, "rev-parse", CMS_BRANCH)} refs/remotes/origin/${CMS_BRANCH}\n`);

    const verified = await script("backup.ts", ["--verify", backup]);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toContain("バックアップは正常です");
  });

  it("空のフォルダーへ復元して生成したサイトは、元のサイトとすべてのファイルが一致する", async () => {
    const restored = path.join(tempDir("drill-restore-"), "restored");
    const result = await script("restore.ts", ["--from", backup, "--to", restored, "--link-node-modules", path.join(ROOT, "node_modules"), "--build"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("バックアップ時のサイトと完全に一致しました");

    // Byte-identical, every file (independently of restore.ts's own comparison).
    const siteB = path.join(restored, "_site");
    const names = files(siteA);
    expect(files(siteB)).toEqual(names);
    expect(names.length).toBeGreaterThan(100);
    const differing = names.filter((f) => !readFileSync(path.join(siteA, f)).equals(readFileSync(path.join(siteB, f))));
    expect(differing).toEqual([]);

    // The repository: main as it was, the editor's branch back as a local branch, full history.
    expect(git(restored, "symbolic-ref", "--short", "HEAD")).toBe("main");
    expect(git(restored, "rev-parse", "main")).toBe(git(project, "rev-parse", "main"));
    expect(git(restored, "for-each-ref", "--format=%(refname)", "refs/heads").split("\n").sort()).toEqual([`refs/heads/${CMS_BRANCH}`, "refs/heads/main"]);
    expect(git(restored, "rev-parse", CMS_BRANCH)).toBe(git(project, "rev-parse", CMS_BRANCH));
    expect(git(restored, "show", `${CMS_BRANCH}:${DRAFT}`)).toContain("訓練用の未公開のお知らせ");
    expect(git(restored, "status", "--porcelain")).toBe("");
    // Unpublished stays unpublished.
    expect(existsSync(path.join(restored, DRAFT))).toBe(false);
    expect(existsSync(path.join(siteB, "news/2026-11-30-drill-unpublished"))).toBe(false);
  }, 900_000);

  it("空でないフォルダーには復元しない", async () => {
    const target = tempDir("drill-nonempty-");
    writeFileSync(path.join(target, "keep.txt"), "x");
    const result = await script("restore.ts", ["--from", backup, "--to", target]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("空ではありません");
    expect(readdirSync(target)).toEqual(["keep.txt"]);
  });

  it("改ざん・破損したバックアップを --verify が見つけ、復元もしない", async () => {
    const copy = (name: string) => {
      const dir = path.join(tempDir(`drill-${name}-`), path.basename(backup));
      cpSync(backup, dir, { recursive: true });
      return dir;
    };
    const rewriteManifest = (dir: string, file: string) => {
      // A tamperer who also fixes the checksum: git's own checks must still catch it.
      const manifestPath = path.join(dir, "manifest.json");
      const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as BackupManifest;
      const data = readFileSync(path.join(dir, file));
      manifest.files[file] = { sha256: execFileSync("sha256sum", [path.join(dir, file)], { encoding: "utf8" }).split(" ")[0]!, bytes: data.length };
      writeFileSync(manifestPath, JSON.stringify(manifest));
    };

    // One byte of the site archive changed.
    const site = copy("site");
    const archive = readFileSync(path.join(site, "site.tar.gz"));
    const middle = Math.floor(archive.length / 2);
    archive[middle] = archive[middle]! ^ 0xff;
    writeFileSync(path.join(site, "site.tar.gz"), archive);
    const v1 = await script("backup.ts", ["--verify", site]);
    expect(v1.code).toBe(1);
    expect(v1.stderr).toMatch(/site\.tar\.gz: チェックサムが一致しません/);

    // A truncated bundle with a "fixed" manifest: git bundle verify fails.
    const bundle = copy("bundle");
    const data = readFileSync(path.join(bundle, "repo.bundle"));
    writeFileSync(path.join(bundle, "repo.bundle"), data.subarray(0, Math.floor(data.length * 0.6)));
    rewriteManifest(bundle, "repo.bundle");
    const v2 = await script("backup.ts", ["--verify", bundle]);
    expect(v2.code).toBe(1);
    expect(v2.stderr).toMatch(/repo\.bundle: git で読み込めません/);

    // refs.txt naming a branch the bundle does not have.
    const refs = copy("refs");
    appendFileSync(path.join(refs, "refs.txt"), `${"0".repeat(40)} refs/heads/cms/news/lost\n`);
    rewriteManifest(refs, "refs.txt");
    const v3 = await script("backup.ts", ["--verify", refs]);
    expect(v3.code).toBe(1);
    expect(v3.stderr).toContain("refs/heads/cms/news/lost がバンドルにありません");

    const target = path.join(tempDir("drill-tampered-"), "restored");
    const restore = await script("restore.ts", ["--from", site, "--to", target]);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain("バックアップが壊れています");
    expect(existsSync(target)).toBe(false);
  });
});

describe("バックアップの保持（14 日分の日次 + 12 か月分の月次）", () => {
  /** Nightly backups at 03:00 in Tokyo (18:00 UTC the day before), as the workflow runs. */
  function fakeBackups(dir: string, from: string, to: string) {
    const names: string[] = [];
    for (let t = Date.parse(from); t <= Date.parse(to); t += 86_400_000) {
      const at = new Date(t);
      const name = `backup-${at.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}`;
      mkdirSync(path.join(dir, name));
      writeFileSync(path.join(dir, name, "manifest.json"), JSON.stringify({ format: "iotlab-portal-backup/1", createdAt: at.toISOString() }));
      names.push(name);
    }
    return names;
  }

  it("日ごと・月ごと（東京時間）に最新の 1 件を残し、それ以外を消す", () => {
    const dir = tempDir("prune-");
    fakeBackups(dir, "2025-10-31T18:00:00Z", "2026-11-25T18:00:00Z"); // 2025-11-01 … 2026-11-26 (JST)
    // A second, manual backup on the last day: only the newer one of that day stays.
    fakeBackups(dir, "2026-11-26T01:00:00Z", "2026-11-26T01:00:00Z");
    writeFileSync(path.join(dir, "README.txt"), "not a backup");
    mkdirSync(path.join(dir, ".backup-20261126T020000Z.partial"));

    const dry = pruneBackups(dir, { daily: 14, monthly: 12 }, { dryRun: true });
    expect(readdirSync(dir)).toHaveLength(392 + 2);

    const { kept, removed } = pruneBackups(dir, { daily: 14, monthly: 12 });
    expect({ kept, removed }).toEqual(dry);
    const daily = Array.from({ length: 13 }, (_, i) => `backup-202611${String(24 - i).padStart(2, "0")}T180000Z`);
    // Newest of each month in Tokyo time: 31 Oct 03:00 JST is 30 Oct 18:00 UTC.
    const monthly = [
      "backup-20261030T180000Z",
      "backup-20260929T180000Z",
      "backup-20260830T180000Z",
      "backup-20260730T180000Z",
      "backup-20260629T180000Z",
      "backup-20260530T180000Z",
      "backup-20260429T180000Z",
      "backup-20260330T180000Z",
      "backup-20260227T180000Z",
      "backup-20260130T180000Z",
      "backup-20251230T180000Z",
    ];
    expect(kept).toEqual(["backup-20261126T010000Z", ...daily, ...monthly]);
    expect(removed).toContain("backup-20261125T180000Z"); // same Tokyo day as the manual one, older
    expect(removed).toContain("backup-20251129T180000Z"); // 30 Nov 2025 (JST): the 13th month back
    expect(removed).toContain("backup-20251130T180000Z"); // 1 Dec 2025 (JST), not the newest of December
    expect(readdirSync(dir).sort()).toEqual([".backup-20261126T020000Z.partial", "README.txt", ...kept].sort());
  });

  it("何も残らない設定は拒否する", () => {
    expect(() => pruneBackups(tempDir("prune-zero-"), { daily: 0, monthly: 0 })).toThrow(/保持数が 0/);
  });
});
