import { ContentError } from "../schema/errors.ts";
import { checkInternalLinks } from "./internal-links.ts";
import { writeSearchIndex } from "./search-index.ts";
import { writeSiteHash } from "./site-hash.ts";

/** Steps that run on the generated folder before it replaces the published one. */
export async function postBuild(dir: string, siteUrl?: string): Promise<void> {
  // The index first: the link check then also proves /pagefind/ assets referenced by pages exist.
  await writeSearchIndex(dir);
  const broken = checkInternalLinks(dir, siteUrl);
  if (broken.length > 0) {
    throw new ContentError(
      broken.map(
        (b) =>
          `${b.page || "/"}: リンク切れ「${b.url}」（${b.status ?? "接続不可"}）。リンク先を確認してください / broken internal link "${b.url}" (status ${b.status ?? "none"})`,
      ),
    );
  }
  writeSiteHash(dir);
}
