import { Worker } from "node:worker_threads";

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

export type SearchWorkerRequest =
  | { type: "expect"; urls: string[] }
  | { type: "add"; url: string; html: string }
  | { type: "finish"; dir: string };
export type SearchWorkerReply = { type: "done"; error?: string; files?: string[] };

/**
 * Builds the Pagefind index (extended build: segments Japanese) alongside the rest of the build:
 * each page goes to a worker thread (search-worker.ts) as soon as Eleventy has rendered it, and
 * the worker feeds Pagefind in a fixed order (deterministic index files) while Eleventy writes
 * files and the link check runs; the Pagefind process indexes on another core.
 * Only pages with a data-pagefind-body element are indexed.
 */
export class SearchIndexer {
  readonly #worker = new Worker(new URL("./search-worker.ts", import.meta.url));
  #expected = new Set<string>();
  readonly #offered = new Set<string>();

  /**
   * The URLs that will be offered, in the order they go to the index. Close to the render order,
   * pages do not wait long (memory) and Pagefind works while Eleventy renders.
   */
  expect(urls: Iterable<string>): void {
    this.#expected = new Set(urls);
    this.#worker.postMessage({ type: "expect", urls: [...this.#expected] } satisfies SearchWorkerRequest);
  }

  /** A rendered page. */
  offer(url: string, html: string): void {
    if (!html.includes("data-pagefind-body")) return;
    this.#offered.add(url);
    // Cut down here: Eleventy hands pages over faster than Pagefind indexes them, and whole
    // pages queued for the worker would cost hundreds of MB at 10,000 entries.
    this.#worker.postMessage({ type: "add", url, html: searchDocument(html) } satisfies SearchWorkerRequest);
  }

  /**
   * Has the worker send what is still waiting and write the index to `dir/pagefind`.
   * `whileIndexing` runs on this thread meanwhile (the build's link check uses that time).
   */
  async finish<T>(dir: string, whileIndexing: () => T): Promise<{ result: T; files: string[] }> {
    // Every entry must be searchable: a page that never reached the index is a build error.
    const missing = [...this.#expected].filter((url) => !this.#offered.has(url));
    if (missing.length) throw new Error(`Pagefind: ${missing.length} page(s) not indexed, e.g. ${missing.slice(0, 3).join(", ")}`);
    const reply = new Promise<SearchWorkerReply>((resolve, reject) => {
      this.#worker.once("message", resolve);
      this.#worker.once("error", reject);
    });
    this.#worker.postMessage({ type: "finish", dir } satisfies SearchWorkerRequest);
    const result = whileIndexing();
    const { error, files = [] } = await reply;
    if (error) throw new Error(error);
    return { result, files };
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}

/** The indexer of the build in progress, if any (the Eleventy config offers pages to it). */
let active: SearchIndexer | undefined;
export const activeSearchIndexer = (): SearchIndexer | undefined => active;
export function setActiveSearchIndexer(indexer: SearchIndexer | undefined): void {
  active = indexer;
}
