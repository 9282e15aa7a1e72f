/**
 * Backups that are enough to rebuild the site (see docs/operations/backup.md).
 *
 *   node scripts/backup.ts [--repo .] [--site _site --site-now ISO] [--out backups]
 *   node scripts/backup.ts --verify backups/backup-20261126T180000Z
 *   node scripts/backup.ts --prune backups [--keep-daily 14] [--keep-monthly 12] [--dry-run]
 *
 * A backup is a folder `backup-<UTC time>/`, each part usable with standard tools:
 *   repo.bundle    `git bundle` of every ref: full history, main, open cms/* branches (editors'
 *                  unpublished changes), tags; `git clone repo.bundle` works
 *   refs.txt       the refs at backup time ("<sha> <ref>"), checked against the bundle
 *   site.tar.gz    the built site as it was published (optional)
 *   manifest.json  SHA-256 and size of each part, creation time, git HEAD, the build's "now"
 * The folder is written under a temporary name and renamed when complete, so a crashed run
 * never leaves something that looks like a backup.
 *
 * This file and restore.ts use Node built-ins only (no npm packages): after a loss they run
 * straight from `git clone repo.bundle`, before `npm ci`.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

export const FORMAT = "iotlab-portal-backup/1";
const NAME = /^backup-(\d{8}T\d{6}Z)$/;
/** Days and months are counted in the project's time zone, like everything else on the site. */
const TOKYO_DAY = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo", year: "numeric", month: "2-digit", day: "2-digit" });

export interface PartInfo {
  sha256: string;
  bytes: number;
}

export interface BackupManifest {
  format: typeof FORMAT;
  createdAt: string;
  git: {
    head: string;
    /** Checked-out branch, null when detached. */
    branch: string | null;
    refs: number;
    /** Editors' open changes (Decap editorial workflow), local or remote-tracking. */
    cmsBranches: string[];
  };
  site: { now: string | null; files: number } | null;
  files: Record<string, PartInfo>;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] }).trim();
}

export function sha256(file: string): string {
  // In chunks: a site with many photos can outgrow what one Buffer may hold.
  const hash = createHash("sha256");
  const buffer = Buffer.alloc(1 << 20);
  const fd = openSync(file, "r");
  try {
    for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

function partInfo(file: string): PartInfo {
  return { sha256: sha256(file), bytes: statSync(file).size };
}

function countFiles(dir: string): number {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) if (entry.isFile()) n++;
  return n;
}

/** "cms/news/x" for refs/heads/cms/news/x and refs/remotes/origin/cms/news/x. */
export function branchName(ref: string): string | null {
  if (ref.startsWith("refs/heads/")) return ref.slice("refs/heads/".length);
  const m = /^refs\/remotes\/[^/]+\/(.+)$/.exec(ref);
  return m && m[1] !== "HEAD" ? m[1]! : null;
}

export interface BackupOptions {
  repo: string;
  outDir: string;
  site?: string;
  /** The "now" the site was built with (scripts/build.ts --now): a restore rebuilds it identically. */
  siteNow?: string;
  createdAt?: Date;
}

export function createBackup(options: BackupOptions): { dir: string; manifest: BackupManifest } {
  const repo = path.resolve(options.repo);
  const createdAt = options.createdAt ?? new Date();
  const stamp = createdAt.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const out = path.resolve(options.outDir);
  const dir = path.join(out, `backup-${stamp}`);
  if (existsSync(dir)) throw new Error(`${dir} は既にあります / already exists`);
  mkdirSync(out, { recursive: true });
  const staging = path.join(out, `.backup-${stamp}.partial`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  try {
    const head = git(repo, "rev-parse", "HEAD");
    let branch: string | null = null;
    try {
      branch = git(repo, "symbolic-ref", "--short", "-q", "HEAD") || null;
    } catch {
      branch = null; // detached HEAD
    }
    const refs = git(repo, "for-each-ref", "--format=%(objectname) %(refname)")
      .split("\n")
      .filter(Boolean);
    writeFileSync(path.join(staging, "refs.txt"), `${refs.join("\n")}\n`);
    git(repo, "bundle", "create", "-q", path.join(staging, "repo.bundle"), "--all");
    const cmsBranches = [
      ...new Set(
        refs
          .map((line) => branchName(line.split(" ")[1] ?? ""))
          .filter((b): b is string => b !== null && b.startsWith("cms/")),
      ),
    ].sort();

    let site: BackupManifest["site"] = null;
    if (options.site) {
      const siteDir = path.resolve(options.site);
      if (!existsSync(path.join(siteDir, "index.html"))) throw new Error(`${siteDir} は生成済みのサイトではありません / not a built site (no index.html)`);
      execFileSync("tar", ["-czf", path.join(staging, "site.tar.gz"), "-C", siteDir, "."]);
      site = { now: options.siteNow ?? null, files: countFiles(siteDir) };
    }

    const files: Record<string, PartInfo> = {};
    for (const name of ["repo.bundle", "refs.txt", "site.tar.gz"]) {
      if (existsSync(path.join(staging, name))) files[name] = partInfo(path.join(staging, name));
    }
    const manifest: BackupManifest = {
      format: FORMAT,
      createdAt: createdAt.toISOString(),
      git: { head, branch, refs: refs.length, cmsBranches },
      site,
      files,
    };
    writeFileSync(path.join(staging, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    renameSync(staging, dir);
    return { dir, manifest };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export function readManifest(backup: string): BackupManifest {
  const file = backup.endsWith(".json") ? backup : path.join(backup, "manifest.json");
  if (!existsSync(file)) throw new Error(`${file} がありません / no manifest.json`);
  const manifest = JSON.parse(readFileSync(file, "utf8")) as BackupManifest;
  if (manifest.format !== FORMAT) throw new Error(`${file}: 形式が違います / unknown format ${String(manifest.format)}`);
  return manifest;
}

/** `git bundle list-heads`: ref → sha. */
export function bundleHeads(bundle: string): Map<string, string> {
  const heads = new Map<string, string>();
  for (const line of git(path.dirname(bundle), "bundle", "list-heads", bundle).split("\n")) {
    const [sha, ref] = line.split(" ");
    if (sha && ref) heads.set(ref, sha);
  }
  return heads;
}

/** Checksums, sizes, a full read of the bundle, refs.txt against the bundle, and a readable archive. */
export function verifyBackup(backup: string): { manifest: BackupManifest | null; problems: string[] } {
  const dir = backup.endsWith(".json") ? path.dirname(backup) : backup;
  const problems: string[] = [];
  let manifest: BackupManifest;
  try {
    manifest = readManifest(dir);
  } catch (error) {
    return { manifest: null, problems: [(error as Error).message] };
  }
  if (!manifest.files["repo.bundle"]) problems.push("manifest.json に repo.bundle がありません / manifest lists no repo.bundle");
  for (const [name, info] of Object.entries(manifest.files)) {
    const file = path.join(dir, name);
    if (!existsSync(file)) {
      problems.push(`${name}: ファイルがありません / missing`);
      continue;
    }
    const actual = partInfo(file);
    if (actual.bytes !== info.bytes || actual.sha256 !== info.sha256) {
      problems.push(`${name}: チェックサムが一致しません（改ざん・破損） / checksum mismatch: expected ${info.sha256}, got ${actual.sha256}`);
    }
  }
  if (problems.length > 0) return { manifest, problems };

  const bundle = path.join(dir, "repo.bundle");
  // `git bundle verify` needs a repository; an empty one also proves the bundle is self-contained.
  const scratch = mkdtempSync(path.join(os.tmpdir(), "bundle-verify-"));
  try {
    git(scratch, "init", "-q");
    git(scratch, "bundle", "verify", "-q", bundle);
    // `bundle verify` reads only the header; fetching indexes the pack, which checks every
    // object and the pack checksum, and that all refs are complete (connectivity).
    git(scratch, "fetch", "-q", bundle, "+refs/*:refs/verify/*");
    const heads = bundleHeads(bundle);
    const listed = readFileSync(path.join(dir, "refs.txt"), "utf8").split("\n").filter(Boolean);
    for (const line of listed) {
      const [sha, ref] = line.split(" ");
      if (ref && heads.get(ref) !== sha) problems.push(`refs.txt: ${ref} がバンドルにありません / not in the bundle at ${sha}`);
    }
    if (![...heads.values()].includes(manifest.git.head)) problems.push(`HEAD ${manifest.git.head} がバンドルにありません / HEAD not in the bundle`);
  } catch (error) {
    const e = error as { stderr?: Buffer | string; message: string };
    problems.push(`repo.bundle: git で読み込めません / git cannot read it: ${String(e.stderr ?? e.message).trim()}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (manifest.files["site.tar.gz"]) {
    try {
      execFileSync("tar", ["-tzf", path.join(dir, "site.tar.gz")], { stdio: ["ignore", "ignore", "pipe"], maxBuffer: 256 * 1024 * 1024 });
    } catch {
      problems.push("site.tar.gz: 展開できません / not a readable tar.gz");
    }
  }
  return { manifest, problems };
}

export interface RetentionPolicy {
  /** Keep the newest backup of each of the last N days that have one. */
  daily: number;
  /** Keep the newest backup of each of the last N months that have one. */
  monthly: number;
}

export const DEFAULT_POLICY: RetentionPolicy = { daily: 14, monthly: 12 };

/**
 * Grandfather-father-son retention (the semantics of restic's --keep-daily/--keep-monthly):
 * a backup stays if it is the newest of one of the last `daily` days, or of one of the last
 * `monthly` months (Asia/Tokyo). Only complete backups (named folders with a manifest) are
 * considered; anything else in the folder is left alone.
 */
export function pruneBackups(dir: string, policy: RetentionPolicy = DEFAULT_POLICY, options: { dryRun?: boolean } = {}): { kept: string[]; removed: string[] } {
  if (policy.daily < 1 && policy.monthly < 1) throw new Error("保持数が 0 です（すべて消えてしまいます） / the policy keeps nothing");
  const backups = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && NAME.test(e.name) && existsSync(path.join(dir, e.name, "manifest.json")))
    .map((e) => {
      let at = Number.NaN;
      try {
        at = Date.parse(readManifest(path.join(dir, e.name)).createdAt);
      } catch {
        // unreadable manifest: fall back to the time in the name
      }
      if (Number.isNaN(at)) at = Date.parse(NAME.exec(e.name)![1]!.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z"));
      return { name: e.name, at, day: TOKYO_DAY.format(at) }; // "2026-11-26"
    })
    .sort((a, b) => b.at - a.at || (a.name < b.name ? 1 : -1));

  const keep = new Set<string>();
  const bucket = (keyOf: (day: string) => string, limit: number) => {
    const seen = new Set<string>();
    for (const b of backups) {
      const key = keyOf(b.day);
      if (seen.has(key)) continue;
      if (seen.size >= limit) break;
      seen.add(key);
      keep.add(b.name); // newest first, so this is the newest of its day/month
    }
  };
  bucket((day) => day, policy.daily);
  bucket((day) => day.slice(0, 7), policy.monthly);

  const kept = backups.filter((b) => keep.has(b.name)).map((b) => b.name);
  const removed = backups.filter((b) => !keep.has(b.name)).map((b) => b.name);
  if (!options.dryRun) for (const name of removed) rmSync(path.join(dir, name), { recursive: true, force: true });
  return { kept, removed };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      repo: { type: "string", default: "." },
      site: { type: "string" },
      "site-now": { type: "string" },
      out: { type: "string", default: "backups" },
      verify: { type: "string" },
      prune: { type: "string" },
      "keep-daily": { type: "string", default: String(DEFAULT_POLICY.daily) },
      "keep-monthly": { type: "string", default: String(DEFAULT_POLICY.monthly) },
      "dry-run": { type: "boolean", default: false },
    },
  });
  try {
    if (values.verify) {
      const { manifest, problems } = verifyBackup(path.resolve(values.verify));
      if (problems.length > 0) {
        console.error(`バックアップに問題があります / backup is NOT valid: ${values.verify}`);
        for (const p of problems) console.error(`  - ${p}`);
        process.exitCode = 1;
      } else {
        console.log(`バックアップは正常です / backup verified: ${values.verify} (HEAD ${manifest!.git.head.slice(0, 12)}, ${manifest!.git.refs} refs, cms: ${manifest!.git.cmsBranches.length})`);
      }
    } else if (values.prune) {
      const policy = { daily: Number(values["keep-daily"]), monthly: Number(values["keep-monthly"]) };
      if (!Number.isInteger(policy.daily) || !Number.isInteger(policy.monthly) || policy.daily < 0 || policy.monthly < 0) {
        console.error("--keep-daily / --keep-monthly は 0 以上の整数です / must be non-negative integers");
        process.exit(2);
      }
      const { kept, removed } = pruneBackups(path.resolve(values.prune), policy, { dryRun: values["dry-run"] });
      for (const name of removed) console.log(`${values["dry-run"] ? "削除予定 / would remove" : "削除 / removed"}: ${name}`);
      console.log(`保持 ${kept.length} 件、削除 ${removed.length} 件 / kept ${kept.length}, removed ${removed.length} (daily ${policy.daily}, monthly ${policy.monthly})`);
    } else {
      if (values.site && !values["site-now"]) {
        console.error("--site には --site-now（そのサイトを生成したときの --now）も指定してください / --site needs --site-now");
        process.exit(2);
      }
      const { dir, manifest } = createBackup({ repo: values.repo!, outDir: values.out!, site: values.site, siteNow: values["site-now"] });
      const { problems } = verifyBackup(dir);
      if (problems.length > 0) throw new Error(`作成直後の検証に失敗 / fresh backup failed verification: ${problems.join("; ")}`);
      console.log(dir);
      console.error(
        `バックアップを作成しました / backup created: ${manifest.git.refs} refs (cms: ${manifest.git.cmsBranches.join(", ") || "なし"}), ` +
          `site: ${manifest.site ? `${manifest.site.files} files` : "なし / none"}`,
      );
    }
  } catch (error) {
    console.error(`バックアップ処理に失敗しました / backup failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
