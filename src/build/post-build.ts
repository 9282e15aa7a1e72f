import { ContentError } from "../schema/errors.ts";
import { checkInternalLinks } from "./internal-links.ts";
import type { SearchIndexer } from "./search-index.ts";
import { writeSiteHash } from "./site-hash.ts";

/** With SITE_TIMINGS=1 each step's duration goes to stderr (used when profiling the build). */
export function timed<T>(label: string, fn: () => T): T {
  if (!process.env.SITE_TIMINGS) return fn();
  const started = performance.now();
  const result = fn();
  const done = () => process.stderr.write(`[timing] ${label}: ${(performance.now() - started).toFixed(0)} ms\n`);
  if (result instanceof Promise) return result.finally(done) as T;
  done();
  return result;
}

/**
 * Steps that run on the generated folder before it replaces the published one. The search index
 * was fed while Eleventy rendered; the link check runs while Pagefind assembles it, and also
 * proves that the /pagefind/ files the search page loads are among those written.
 */
export async function postBuild(dir: string, indexer: SearchIndexer, siteUrl?: string): Promise<void> {
  const { result: broken, files } = await timed("pagefind + internal links", () =>
    indexer.finish(dir, () => timed("internal links", () => checkInternalLinks(dir, siteUrl))),
  );
  const pagefindFiles = new Set(files);
  const reallyBroken = broken.filter((b) => !(b.status === 404 && pagefindFiles.has(b.url)));
  if (reallyBroken.length > 0) {
    throw new ContentError(
      reallyBroken.map(
        (b) =>
          `${b.page || "/"}: リンク切れ「${b.url}」（${b.status ?? "接続不可"}）。リンク先を確認してください / broken internal link "${b.url}" (status ${b.status ?? "none"})`,
      ),
    );
  }
  timed("site hash", () => writeSiteHash(dir));
}
