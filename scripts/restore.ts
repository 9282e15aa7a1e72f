/**
 * Restores the project from a backup alone (see docs/operations/backup.md).
 *
 *   node scripts/restore.ts --from backups/backup-20261126T180000Z --to DIR
 *        [--install | --link-node-modules DIR] [--build [--now ISO] [--output DIR]] [--remote URL]
 *
 * 1. verifies the backup (checksums, git bundle verify) and refuses a damaged one;
 * 2. recreates the repository in an EMPTY folder from repo.bundle: every branch becomes a local
 *    branch again, including editors' open cms/* branches, which CI backs up as remote-tracking
 *    refs (actions/checkout fetches branches as refs/remotes/origin/*);
 * 3. optionally installs packages (`--install` runs `npm ci`, as a real restore must: the
 *    repository is the project, node_modules is not in it; `--link-node-modules` reuses an
 *    existing install, for the drill in tests and CI);
 * 4. optionally builds the site with the restored code and, when built with the backup's own
 *    "now", checks that it is byte-identical to the site in the backup.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, appendFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { branchName, bundleHeads, verifyBackup, type BackupManifest } from "./backup.ts";

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] }).trim();
}

export interface RestoreOptions {
  from: string;
  to: string;
  install?: boolean;
  linkNodeModules?: string;
  build?: boolean;
  now?: string;
  output?: string;
  remote?: string;
  log?: (line: string) => void;
}

export interface RestoreResult {
  manifest: BackupManifest;
  branches: string[];
  head: string;
  output?: string;
  /** Files that differ from the backed-up site; undefined when not compared. */
  siteDifferences?: string[];
}

/** refspecs that turn the bundle's refs back into local branches and tags. */
export function restoreRefspecs(heads: Map<string, string>): { refspecs: string[]; branches: string[] } {
  const local = new Map<string, string>(); // branch → source ref
  // Local branches first: in a developer's clone they may be ahead of their remote-tracking refs.
  const refs = [...heads.keys()].sort((a, b) => Number(b.startsWith("refs/heads/")) - Number(a.startsWith("refs/heads/")) || (a < b ? -1 : 1));
  for (const ref of refs) {
    const branch = branchName(ref);
    if (branch && !local.has(branch)) local.set(branch, ref);
  }
  const refspecs = [...local].map(([branch, ref]) => `+${ref}:refs/heads/${branch}`);
  for (const ref of refs) if (ref.startsWith("refs/tags/") || ref.startsWith("refs/notes/")) refspecs.push(`+${ref}:${ref}`);
  return { refspecs, branches: [...local.keys()].sort() };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() || e.isSymbolicLink())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** Files that are missing on either side or differ in content. */
export function compareTrees(a: string, b: string): string[] {
  const left = listFiles(a);
  const right = new Set(listFiles(b));
  const differences: string[] = [];
  for (const file of left) {
    if (!right.has(file)) differences.push(`${file}（復元側にありません / missing in restored)`);
    else if (!readFileSync(path.join(a, file)).equals(readFileSync(path.join(b, file)))) differences.push(`${file}（内容が違います / differs)`);
    right.delete(file);
  }
  for (const file of right) differences.push(`${file}（バックアップ側にありません / not in backup)`);
  return differences;
}

export function restoreBackup(options: RestoreOptions): RestoreResult {
  const log = options.log ?? ((line: string) => console.error(line));
  const from = path.resolve(options.from);
  const to = path.resolve(options.to);

  const { manifest, problems } = verifyBackup(from);
  if (!manifest || problems.length > 0) throw new Error(`バックアップが壊れています / backup failed verification:\n  - ${problems.join("\n  - ")}`);
  // Arguments that cannot work are refused before anything is written.
  const now = options.now ?? manifest.site?.now ?? undefined;
  if (options.build && !now) throw new Error("--build には --now が必要です（バックアップに生成日時がありません） / --build needs --now");
  if (existsSync(to) && readdirSync(to).length > 0) throw new Error(`${to} が空ではありません。空のフォルダーを指定してください / target folder is not empty`);
  mkdirSync(to, { recursive: true });

  const bundle = path.join(from, "repo.bundle");
  const { refspecs, branches } = restoreRefspecs(bundleHeads(bundle));
  const headBranch =
    [manifest.git.branch, "main", "master"].find((b): b is string => !!b && branches.includes(b)) ?? branches[0];
  if (!headBranch) throw new Error("バンドルにブランチがありません / the bundle has no branches");
  git(to, "init", "-q", `--initial-branch=${headBranch}`);
  // --update-head-ok: we fetch straight into the (still unborn) checked-out branch.
  git(to, "fetch", "-q", "--update-head-ok", bundle, ...refspecs);
  git(to, "reset", "-q", "--hard", "HEAD");
  const head = git(to, "rev-parse", "HEAD");
  if (manifest.git.branch === headBranch && head !== manifest.git.head) {
    throw new Error(`復元した ${headBranch} (${head}) がバックアップ時の HEAD (${manifest.git.head}) と違います / restored HEAD differs`);
  }
  const missing = manifest.git.cmsBranches.filter((b) => !branches.includes(b));
  if (missing.length > 0) throw new Error(`cms ブランチが復元できません / cms branches missing: ${missing.join(", ")}`);
  if (options.remote) git(to, "remote", "add", "origin", options.remote);
  log(`リポジトリを復元しました / repository restored: ${to} (${branches.length} branches, on ${headBranch} ${head.slice(0, 12)})`);
  if (manifest.git.cmsBranches.length > 0) log(`  未公開の編集（cms/*） / open CMS branches: ${manifest.git.cmsBranches.join(", ")}`);

  if (options.install) {
    log("npm ci を実行しています / installing packages ...");
    const npm = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: to, stdio: "inherit" });
    if (npm.status !== 0) throw new Error("npm ci に失敗しました / npm ci failed");
  } else if (options.linkNodeModules) {
    symlinkSync(path.resolve(options.linkNodeModules), path.join(to, "node_modules"), "dir");
    // .gitignore's "node_modules/" matches directories only, not this symlink: keep it out of commits.
    appendFileSync(path.join(to, ".git/info/exclude"), "/node_modules\n");
  }

  const result: RestoreResult = { manifest, branches, head };
  if (!options.build) return result;

  if (!now) throw new Error("unreachable: checked above");
  if (!existsSync(path.join(to, "node_modules"))) throw new Error("パッケージがありません。--install を付けてください / no node_modules: use --install");
  const output = path.resolve(options.output ?? path.join(to, "_site"));
  log(`サイトを生成しています / building the restored site (now ${now}) ...`);
  const built = spawnSync(process.execPath, [path.join(to, "scripts/build.ts"), "--output", output, "--now", now], {
    cwd: to,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (built.status !== 0) throw new Error("復元したリポジトリでのサイト生成に失敗しました / build of the restored repository failed");
  result.output = output;

  // The drill's proof: same code + content + now ⇒ the same site as the one backed up.
  if (manifest.files["site.tar.gz"] && manifest.site?.now === now) {
    const scratch = mkdtempSync(path.join(os.tmpdir(), "restore-site-"));
    try {
      execFileSync("tar", ["-xzf", path.join(from, "site.tar.gz"), "-C", scratch]);
      result.siteDifferences = compareTrees(scratch, output);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    if (result.siteDifferences.length === 0) log("生成したサイトはバックアップ時のサイトと完全に一致しました / rebuilt site is byte-identical to the backup");
  }
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      from: { type: "string" },
      to: { type: "string" },
      install: { type: "boolean", default: false },
      "link-node-modules": { type: "string" },
      build: { type: "boolean", default: false },
      now: { type: "string" },
      output: { type: "string" },
      remote: { type: "string" },
    },
  });
  if (!values.from || !values.to) {
    console.error("使い方 / usage: node scripts/restore.ts --from BACKUP_DIR --to EMPTY_DIR [--install] [--build [--now ISO]]");
    process.exit(2);
  }
  try {
    const result = restoreBackup({
      from: values.from,
      to: values.to,
      install: values.install,
      linkNodeModules: values["link-node-modules"],
      build: values.build,
      now: values.now,
      output: values.output,
      remote: values.remote,
    });
    if (result.siteDifferences && result.siteDifferences.length > 0) {
      console.error(`生成したサイトがバックアップ時と ${result.siteDifferences.length} ファイル異なります / rebuilt site differs from the backup:`);
      for (const d of result.siteDifferences.slice(0, 50)) console.error(`  - ${d}`);
      process.exitCode = 1;
    }
    if (!values.install && !values["link-node-modules"]) {
      console.error(`次に / next: cd ${values.to} && npm ci && node scripts/build.ts --output _site`);
    }
  } catch (error) {
    console.error(`復元に失敗しました / restore failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
