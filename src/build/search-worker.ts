/**
 * The Pagefind client, in a worker thread: Eleventy keeps the main thread busy while it renders,
 * and the index must still be fed meanwhile. Pages arrive already in the order to index them.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parentPort } from "node:worker_threads";
import * as pagefind from "pagefind";
import { searchDocument, type SearchWorkerReply, type SearchWorkerRequest } from "./search-index.ts";

const port = parentPort!;
const index = pagefind.createIndex({ forceLanguage: "ja" }).then(({ index, errors }) => {
  if (!index) throw new Error(`Pagefind: ${errors.join("; ")}`);
  return index;
});
let queue: Promise<unknown> = index;
let failure: string | undefined;

port.on("message", (message: SearchWorkerRequest) => {
  if (message.type === "add") {
    const { url, html } = message;
    queue = queue.then(async () => {
      if (failure) return;
      // NFKC for the index only: ＩｏＴ finds IoT and ｾﾝｻｰ finds センサー.
      const result = await (await index).addHTMLFile({ url, content: searchDocument(html).normalize("NFKC") });
      if (result.errors.length) failure = `Pagefind ${url}: ${result.errors.join("; ")}`;
    });
    return;
  }
  queue
    .then(async (): Promise<SearchWorkerReply> => {
      if (failure) return { type: "done", error: failure };
      const { files, errors } = await (await index).getFiles();
      if (errors.length) return { type: "done", error: `Pagefind: ${errors.join("; ")}` };
      const written: string[] = [];
      let bytes = 0;
      for (const file of files) {
        // Pagefind's own UI bundles are not used: our search page talks to its API.
        if (/ui\.(js|css)$/.test(file.path)) continue;
        // One file at a time: on slow disks this beats Pagefind creating thousands at once.
        const target = path.join(message.dir, "pagefind", file.path);
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, file.content);
        written.push(`/pagefind/${file.path}`);
        bytes += file.content.length;
      }
      return { type: "done", files: written, bytes };
    })
    .catch((error: unknown): SearchWorkerReply => ({ type: "done", error: String(error) }))
    .then(async (reply) => {
      await pagefind.close();
      port.postMessage(reply);
    });
});
