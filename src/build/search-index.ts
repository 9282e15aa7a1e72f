import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import * as pagefind from "pagefind";

/**
 * What Pagefind needs of a page: its Pagefind <meta> tags and the data-pagefind-body element.
 * Sending only that (a third of the page) keeps the indexer's input small at 10,000 pages.
 */
export function searchDocument(html: string): string {
  const metas = html.match(/<meta [^>]*data-pagefind-[^>]*>/g)?.join("") ?? "";
  const start = html.search(/<article [^>]*data-pagefind-body/);
  const end = html.indexOf("</article>", start);
  if (start < 0 || end < 0) return html;
  return `<html lang="ja"><head>${metas}</head><body>${html.slice(start, end + "</article>".length)}</body></html>`;
}

/**
 * Indexes the built site with Pagefind (extended build: segments Japanese). Each page's HTML is
 * NFKC-normalised for the index only, so ＩｏＴ/IoT and ｾﾝｻｰ/センサー find the same pages; the
 * published HTML is untouched. Only elements marked data-pagefind-body are indexed.
 */
export async function writeSearchIndex(dir: string): Promise<{ pages: number; bytes: number }> {
  const { index, errors } = await pagefind.createIndex({ forceLanguage: "ja" });
  if (!index) throw new Error(`Pagefind: ${errors.join("; ")}`);
  try {
    let pages = 0;
    const files = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile() && d.name === "index.html")
      .map((d) => path.join(d.parentPath, d.name))
      .sort();
    // One page at a time, in path order: Pagefind numbers pages as they arrive, and the same
    // content must always give the same index files (deterministic builds).
    for (const file of files) {
      const html = readFileSync(file, "utf8");
      if (!html.includes("data-pagefind-body")) continue;
      const url = `/${path.relative(dir, path.dirname(file)).split(path.sep).join("/")}/`.replace(/^\/\/$/, "/");
      const result = await index.addHTMLFile({ url, content: searchDocument(html).normalize("NFKC") });
      if (result.errors.length) throw new Error(`Pagefind ${url}: ${result.errors.join("; ")}`);
      pages++;
    }
    const written = await index.writeFiles({ outputPath: path.join(dir, "pagefind") });
    if (written.errors.length) throw new Error(`Pagefind: ${written.errors.join("; ")}`);
    // Pagefind also writes its own UI bundles; our search page uses only the API, so drop them.
    for (const name of readdirSync(path.join(dir, "pagefind"))) {
      if (/ui\.(js|css)$/.test(name)) rmSync(path.join(dir, "pagefind", name));
    }
    const bytes = readdirSync(path.join(dir, "pagefind"), { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .reduce((sum, d) => sum + readFileSync(path.join(d.parentPath, d.name)).length, 0);
    return { pages, bytes };
  } finally {
    await pagefind.close();
  }
}
