/**
 * The production build, as CI and deploys run it: Eleventy into a staging folder, then the
 * post-build steps, then an atomic swap into the output folder, so a failed build never leaves
 * a half-written site where the last good one was.
 *
 *   node scripts/build.ts [--output _site] [--now 2026-11-26T10:00:00+09:00]
 *                         [--content DIR] [--data DIR] [--mode production|preview]
 *                         [--problems-page DIR]
 *
 * --mode preview builds what a pull-request preview shows: drafts and scheduled entries too,
 * each with a banner, and every page marked noindex.
 * --problems-page DIR: when the build fails, DIR/index.html lists what to fix (CI deploys it as
 * the pull request's preview, which is where editors look).
 */
import { existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { parseArgs } from "node:util";
import { ROOT, siteOptionsFromEnv } from "../src/options.ts";
import { describeBuildError, editorProblems } from "../src/build/errors.ts";
import { writeProblemsPage } from "../src/build/problems-page.ts";
import { postBuild, timed } from "../src/build/post-build.ts";
import { SearchIndexer, setActiveSearchIndexer } from "../src/build/search-index.ts";

/** The public URL, so absolute links to the site itself are checked as internal ones. */
function siteUrl(): string | undefined {
  try {
    const dataDir = process.env.SITE_DATA_DIR ?? path.join(ROOT, "_data");
    return (JSON.parse(readFileSync(path.join(dataDir, "site.json"), "utf8")) as { url?: string }).url;
  } catch {
    return undefined;
  }
}

export interface BuildArgs {
  output: string;
  now?: string;
  content?: string;
  data?: string;
  mode?: "production" | "preview" | "development";
}

function collectGarbage(): void {
  v8.setFlagsFromString("--expose-gc");
  (vm.runInNewContext("gc") as () => void)();
}

/**
 * Eleventy into `staging`; returns the number of HTML pages. A function of its own so that the
 * Eleventy instance, and with it every page's HTML (hundreds of MB at 10,000 entries), can be
 * freed before the post-build steps.
 */
async function render(staging: string): Promise<number> {
  const { default: Eleventy } = await import("@11ty/eleventy");
  const eleventy = new Eleventy(undefined, staging, {
    configPath: path.join(ROOT, ".eleventy.js"),
    quietMode: true,
  });
  // Our own summary (describeBuildError) explains failures in Japanese and English; Eleventy's
  // handler would print the same error first with an internal stack trace.
  (eleventy as unknown as { errorHandler: { logger: unknown } }).errorHandler.logger = { message() {}, log() {}, warn() {}, error() {}, forceLog() {} };
  const [, written] = (await eleventy.write()) as [unknown, { outputPath?: string | false }[]];
  return written.filter((w) => typeof w.outputPath === "string" && w.outputPath.endsWith(".html")).length;
}

export async function build(args: BuildArgs): Promise<{ pages: number; ms: number }> {
  const started = performance.now();
  if (args.now) process.env.SITE_NOW = args.now;
  if (args.content) process.env.SITE_CONTENT_DIR = path.resolve(args.content);
  if (args.data) process.env.SITE_DATA_DIR = path.resolve(args.data);
  process.env.SITE_MODE = args.mode ?? "production";

  const output = path.resolve(args.output);
  const staging = `${output}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  // Pagefind indexes pages as Eleventy renders them (the config offers each page to it).
  const indexer = new SearchIndexer();
  setActiveSearchIndexer(indexer);
  try {
    const pages = await timed("eleventy", () => render(staging));
    // V8 collects lazily when memory is plentiful: Eleventy's pages, garbage by now, would still
    // be in the heap while the post-build steps add theirs, and raise the build's peak memory.
    timed("gc", collectGarbage);
    await postBuild(staging, indexer, siteUrl());
    const previous = `${output}.previous-${process.pid}`;
    if (existsSync(output)) renameSync(output, previous);
    renameSync(staging, output);
    rmSync(previous, { recursive: true, force: true });
    return { pages, ms: performance.now() - started };
  } finally {
    setActiveSearchIndexer(undefined);
    await indexer.close();
    rmSync(staging, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      output: { type: "string", default: path.join(ROOT, "_site") },
      now: { type: "string" },
      content: { type: "string" },
      data: { type: "string" },
      mode: { type: "string", default: "production" },
      "problems-page": { type: "string" },
    },
  });
  const mode = values.mode === "development" || values.mode === "preview" ? values.mode : "production";
  try {
    const { "problems-page": _, ...buildArgs } = values;
    const result = await build({ ...buildArgs, output: values.output!, mode });
    console.log(`サイトを生成しました / Site built: ${result.pages} pages in ${(result.ms / 1000).toFixed(2)} s → ${values.output}`);
  } catch (error) {
    console.error(describeBuildError(error));
    console.error("\n公開中のサイト（前回の生成結果）は変更していません。 / The previously built site was left unchanged.");
    process.exitCode = 1;
    const problemsDir = values["problems-page"];
    if (problemsDir) {
      const { contentDir } = siteOptionsFromEnv();
      await writeProblemsPage(path.resolve(problemsDir), editorProblems(error), siteUrl() ?? "http://localhost:8080", contentDir);
    }
  }
}
