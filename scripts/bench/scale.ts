/**
 * Scale benchmark (issue 11): the full production build at 1,000 / 4,000 / 10,000 entries against
 * a plain Eleventy 3 build of the same Markdown with a minimal layout, plus the local edit loop.
 *   node scripts/bench/scale.ts [--sizes 1000,4000,10000] [--runs 2] [--edit-size 4000] [--no-edit]
 * Each build runs in its own process so peak memory (maxRSS) is per build. Each build runs
 * --runs times into fresh folders: the table shows the fastest time and the highest peak memory.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "../../src/options.ts";
import { writeCorpus } from "./corpus.ts";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "1000,4000,10000" },
    runs: { type: "string", default: "2" },
    "edit-size": { type: "string", default: "4000" },
    "no-edit": { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
});
const NOW = "2026-11-26T10:00:00+09:00";
const ELEVENTY = path.join(ROOT, "node_modules/@11ty/eleventy/cmd.cjs");
const work = mkdtempSync(path.join(os.tmpdir(), "iotlab-scale-"));

interface Run {
  seconds: number;
  peakMb: number;
  pages: number;
}

function run(args: string[], env: Record<string, string> = {}): Promise<Run & { output: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", path.join(ROOT, "scripts/bench/rss.ts"), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => {
      const seconds = (performance.now() - started) / 1000;
      const kb = Number(out.match(/BENCH_MAXRSS_KB (\d+)/)?.[1] ?? 0);
      if (code !== 0) return reject(new Error(`exit ${code}: ${out.slice(-3000)}`));
      resolve({ seconds, peakMb: kb / 1024, pages: 0, output: out });
    });
  });
}

function countHtml(dir: string): number {
  return readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith(".html")).length;
}
function dirBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .reduce((n, d) => n + statSync(path.join(d.parentPath, d.name)).size, 0);
}

/** The baseline: Eleventy 3 with its defaults, the same Markdown, one minimal layout. */
function baselineProject(dir: string, content: string): string {
  const config = path.join(dir, "baseline.config.mjs");
  mkdirSync(path.join(dir, "_includes"), { recursive: true });
  writeFileSync(path.join(dir, "_includes/base.njk"), "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>{{ title or name }}</title></head><body><main>{{ content | safe }}</main></body></html>\n");
  writeFileSync(
    config,
    `export default function (c) {\n  c.setInputDirectory(${JSON.stringify(content)});\n  c.setIncludesDirectory(${JSON.stringify(path.relative(content, path.join(dir, "_includes")))});\n  c.addGlobalData("layout", "base.njk");\n  c.setQuietMode(true);\n}\n`,
  );
  return config;
}

/**
 * Lets the disk settle before a measured build: on file systems mounted with `discard`, creating
 * files right after deleting thousands of them runs several times slower for a few seconds.
 */
async function settle(): Promise<void> {
  spawnSync("sync");
  await new Promise((r) => setTimeout(r, 5000));
}

/** The fastest of --runs runs (each into its own folder), with the highest peak memory seen. */
async function best(once: (i: number) => Promise<Run>): Promise<Run> {
  const runs: Run[] = [];
  for (let i = 0; i < Number(values.runs); i++) {
    await settle();
    runs.push(await once(i));
  }
  return { seconds: Math.min(...runs.map((r) => r.seconds)), peakMb: Math.max(...runs.map((r) => r.peakMb)), pages: 0 };
}

const rows: string[] = [];
const sizes = values.sizes.split(",").filter(Boolean).map(Number);
for (const size of sizes) {
  const dir = path.join(work, String(size));
  const corpus = writeCorpus(dir, size);
  const oursOut = (i: number) => path.join(dir, `_site-${i}`);
  const ours = await best((i) => run([path.join(ROOT, "scripts/build.ts"), "--output", oursOut(i), "--content", corpus.content, "--data", corpus.data, "--now", NOW]));
  const base = await best((i) => run([ELEVENTY, `--config=${baselineProject(dir, corpus.content)}`, `--output=${path.join(dir, `_baseline-${i}`)}`]));
  const pages = countHtml(oursOut(0));
  const pagefindMb = dirBytes(path.join(oursOut(0), "pagefind")) / 1024 / 1024;
  const row = `| ${size} | ${ours.seconds.toFixed(1)} s | ${base.seconds.toFixed(1)} s | ${(ours.seconds / base.seconds).toFixed(2)}× | ${pages} | ${(pages / ours.seconds).toFixed(0)} | ${ours.peakMb.toFixed(0)} MB | ${base.peakMb.toFixed(0)} MB | ${pagefindMb.toFixed(1)} MB |`;
  rows.push(row);
  console.log(row);
}

console.log("\n| entries | ours | plain Eleventy | ratio | pages | pages/s (ours) | peak memory (ours) | peak memory (plain) | Pagefind index |");
console.log("|---|---|---|---|---|---|---|---|---|");
for (const r of rows) console.log(r);

if (!values["no-edit"]) {
  const size = Number(values["edit-size"]);
  const dir = path.join(work, `edit-${size}`);
  const corpus = writeCorpus(dir, size);
  const port = 18000 + (process.pid % 1000);
  // What `npm start` runs (scripts/start.ts: Eleventy --serve --incremental, and decap-server).
  const server = spawn(process.execPath, [path.join(ROOT, "scripts/start.ts")], {
    cwd: ROOT,
    env: { ...process.env, SITE_CONTENT_DIR: corpus.content, SITE_DATA_DIR: corpus.data, SITE_NOW: NOW, PORT: String(port), CMS_PORT: String(port + 1) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  server.stdout.on("data", (d) => (log += d));
  server.stderr.on("data", (d) => (log += d));
  const file = readdirSync(path.join(corpus.content, "news")).sort()[0]!;
  const url = `http://localhost:${port}/news/${file.replace(/\.md$/, "")}/`;
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline && !/Server at/.test(log)) await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, 3000)); // the file watcher is ready a moment later
  const times: number[] = [];
  const rebuilds: string[] = [];
  for (let i = 0; i < 3; i++) {
    const wrote = () => log.match(/Wrote [^\n]*/g) ?? [];
    const before = wrote().length;
    const token = `編集確認${Date.now()}`;
    const source = path.join(corpus.content, "news", file);
    const started = performance.now();
    writeFileSync(source, readFileSync(source, "utf8").replace(/\n## 概要\n[\s\S]*?\n\n/, `\n## 概要\n\n${token}\n\n`));
    for (;;) {
      const res = await fetch(url).catch(() => undefined);
      if (res && (await res.text()).includes(token)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    times.push(performance.now() - started);
    // Eleventy's own summary of the rebuild, once it has finished (the browser reloads then).
    while (wrote().length === before && performance.now() - started < 60_000) await new Promise((r) => setTimeout(r, 50));
    rebuilds.push(wrote().at(-1) ?? "?");
    await new Promise((r) => setTimeout(r, 1500));
  }
  server.kill("SIGTERM");
  times.sort((a, b) => a - b);
  console.log(`\nEleventy after each save: ${rebuilds.join(" | ")}`);
  console.log(`Edit loop at ${size} entries (save → rebuilt page served), 3 edits: ${times.map((t) => `${(t / 1000).toFixed(2)} s`).join(", ")}; median ${(times[1]! / 1000).toFixed(2)} s`);
}
if (!values.keep) rmSync(work, { recursive: true, force: true });
