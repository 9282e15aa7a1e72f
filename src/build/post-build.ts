import { ContentError } from "../schema/errors.ts";
import { checkInternalLinks } from "./internal-links.ts";
import { writeSearchIndex } from "./search-index.ts";
import { writeSiteHash } from "./site-hash.ts";

/** Steps that run on the generated folder before it replaces the published one. */
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

export async function postBuild(dir: string, siteUrl?: string): Promise<void> {
  // The index first: the link check then also proves /pagefind/ assets referenced by pages exist.
  await timed("pagefind", () => writeSearchIndex(dir));
  const broken = timed("internal links", () => checkInternalLinks(dir, siteUrl));
  if (broken.length > 0) {
    throw new ContentError(
      broken.map(
        (b) =>
          `${b.page || "/"}: リンク切れ「${b.url}」（${b.status ?? "接続不可"}）。リンク先を確認してください / broken internal link "${b.url}" (status ${b.status ?? "none"})`,
      ),
    );
  }
  timed("site hash", () => writeSiteHash(dir));
}
