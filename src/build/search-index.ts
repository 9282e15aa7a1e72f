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

export type SearchWorkerRequest = { type: "add"; url: string; html: string } | { type: "finish"; dir: string };
export type SearchWorkerReply = { type: "done"; error?: string; files?: string[]; bytes?: number };

/**
 * Builds the Pagefind index (extended build: segments Japanese) while Eleventy is still rendering:
 * pages are offered as they are rendered, and a worker thread (search-worker.ts) feeds them to the
 * Pagefind process, which indexes on the other core. Only pages with data-pagefind-body count.
 *
 * Determinism: Pagefind numbers pages in arrival order, so pages go to it one at a time in URL
 * order. `expect()` gives that order up front (the entries' URLs); a page rendered early waits
 * until its predecessors have gone, and whatever is left is sent, sorted, by `finish()`.
 */
export class SearchIndexer {
  readonly #worker = new Worker(new URL("./search-worker.ts", import.meta.url));
  #order: string[] = [];
  #cursor = 0;
  readonly #waiting = new Map<string, string>();
  pages = 0;

  /** The URLs that will be offered, in any order. */
  expect(urls: Iterable<string>): void {
    this.#order = [...new Set(urls)].sort();
    this.#cursor = 0;
    this.#pump();
  }

  /** A rendered page; pages without data-pagefind-body are not indexed. */
  offer(url: string, html: string): void {
    if (!html.includes("data-pagefind-body")) return;
    this.#waiting.set(url, html);
    this.#pump();
  }

  #pump(): void {
    while (this.#cursor < this.#order.length) {
      const url = this.#order[this.#cursor]!;
      const html = this.#waiting.get(url);
      if (html === undefined) return;
      this.#cursor++;
      this.#send(url, html);
    }
  }

  #send(url: string, html: string): void {
    this.#waiting.delete(url);
    this.pages++;
    this.#worker.postMessage({ type: "add", url, html } satisfies SearchWorkerRequest);
  }

  /**
   * Sends what is still waiting and has the worker write the index to `dir/pagefind`.
   * `whileIndexing` runs on this thread meanwhile (the build's link check uses that time).
   */
  async finish<T>(dir: string, whileIndexing: () => T): Promise<{ result: T; files: string[]; bytes: number }> {
    for (const url of [...this.#waiting.keys()].sort()) this.#send(url, this.#waiting.get(url)!);
    const reply = new Promise<SearchWorkerReply>((resolve, reject) => {
      this.#worker.once("message", resolve);
      this.#worker.once("error", reject);
    });
    this.#worker.postMessage({ type: "finish", dir } satisfies SearchWorkerRequest);
    const result = whileIndexing();
    const { error, files = [], bytes = 0 } = await reply;
    if (error) throw new Error(error);
    return { result, files, bytes };
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
