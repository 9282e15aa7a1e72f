/**
 * The Pagefind client, in a worker thread: Eleventy keeps the main thread busy while it renders,
 * and the index must still be fed meanwhile. Pages arrive already cut down to what Pagefind reads.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parentPort } from "node:worker_threads";
import * as pagefind from "pagefind";
import type { SearchWorkerReply, SearchWorkerRequest } from "./search-index.ts";

const port = parentPort!;
const index = pagefind.createIndex({ forceLanguage: "ja" }).then(({ index, errors }) => {
  if (!index) throw new Error(`Pagefind: ${errors.join("; ")}`);
  return index;
});
const added: Promise<unknown>[] = [];
let failure: string | undefined;

// Pagefind numbers pages in arrival order, so they go to it in a fixed order: `order` (the
// entries' URLs by source file, the order Eleventy renders them in) says which page is next; a
// page rendered early waits in `waiting`. The Pagefind service handles its requests one after
// another in the order they arrive, so pages are sent without waiting for each answer.
let order: string[] = [];
let cursor = 0;
const waiting = new Map<string, string>();

function send(url: string, content: string): void {
  waiting.delete(url);
  added.push(
    index
      .then((ready) => ready.addHTMLFile({ url, content }))
      .then((result) => {
        if (result.errors.length) failure ??= `Pagefind ${url}: ${result.errors.join("; ")}`;
      }),
  );
}

function pump(): void {
  while (cursor < order.length) {
    const url = order[cursor]!;
    const doc = waiting.get(url);
    if (doc === undefined) return;
    cursor++;
    send(url, doc);
  }
}

async function finish(dir: string): Promise<SearchWorkerReply> {
  for (const url of [...waiting.keys()].sort()) send(url, waiting.get(url)!);
  await Promise.all(added);
  if (failure) return { type: "done", error: failure };
  const { files, errors } = await (await index).getFiles();
  if (errors.length) return { type: "done", error: `Pagefind: ${errors.join("; ")}` };
  const written: string[] = [];
  for (const file of files) {
    // Pagefind's own UI bundles are not used: our search page talks to its API.
    if (/ui\.(js|css)$/.test(file.path)) continue;
    // One file at a time: on slow disks this beats Pagefind creating thousands at once.
    const target = path.join(dir, "pagefind", file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    written.push(`/pagefind/${file.path}`);
  }
  return { type: "done", files: written };
}

port.on("message", (message: SearchWorkerRequest) => {
  if (message.type === "expect") {
    order = [...new Set(message.urls)];
    cursor = 0;
    pump();
  } else if (message.type === "add") {
    // NFKC for the index only: ＩｏＴ finds IoT and ｾﾝｻｰ finds センサー.
    waiting.set(message.url, message.html.normalize("NFKC"));
    pump();
  } else {
    finish(message.dir)
      .catch((error: unknown): SearchWorkerReply => ({ type: "done", error: String(error) }))
      .then(async (reply) => {
        await pagefind.close();
        port.postMessage(reply);
      });
  }
});
