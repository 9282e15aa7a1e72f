/**
 * Image pipeline benchmark (issue 5): the sample site plus 50 camera-sized photos, built cold
 * (empty image cache) and warm (same cache, nothing changed).
 *   node scripts/bench/images.ts [--photos 50]
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "../../src/options.ts";
import { syntheticPhoto } from "../lib/synthetic-images.ts";
import { execFileSync } from "node:child_process";

const { values } = parseArgs({ options: { photos: { type: "string", default: "50" } } });
const count = Number(values.photos);
const work = mkdtempSync(path.join(os.tmpdir(), "iotlab-bench-img-"));
const content = path.join(work, "content");
cpSync(path.join(ROOT, "content"), content, { recursive: true });

let bytes = 0;
for (let i = 0; i < count; i++) {
  const photo = await syntheticPhoto(1000 + i, { width: 2400, height: 1600, quality: 85 });
  bytes += photo.length;
  writeFileSync(path.join(content, "media", `bench-${i}.jpg`), photo);
  const day = String((i % 28) + 1).padStart(2, "0");
  writeFileSync(
    path.join(content, "news", `2026-10-${day}-bench-photo-${i}.md`),
    `---\ntitle: 写真つきのお知らせ ${i + 1}\ndate: 2026-10-${day}\ncategory: report\nsummary: ベンチマーク用の写真つきのお知らせです。\nfeatured: ${i < 4}\nimage:\n  src: /media/bench-${i}.jpg\n  alt: 実証現場の様子 ${i + 1}\n---\n本文です。\n\n![現場の写真](/media/bench-${i}.jpg)\n`,
  );
}
console.log(`${count} photos, ${(bytes / 1024 / 1024).toFixed(1)} MB of originals`);

// Each build is a fresh process, as in CI: "warm" means the on-disk cache only.
const runs: [string, number][] = [];
for (const label of ["cold", "warm"]) {
  const started = performance.now();
  execFileSync(process.execPath, [path.join(ROOT, "scripts/build.ts"), "--output", path.join(work, `_site-${label}`), "--content", content, "--now", "2026-11-26T10:00:00+09:00"], {
    env: { ...process.env, SITE_IMAGE_CACHE: path.join(work, "img-cache") },
    stdio: "ignore",
  });
  runs.push([label, performance.now() - started]);
}
const site = path.join(work, "_site-warm");
const top = readFileSync(path.join(site, "index.html"), "utf8");
// What a browser with AVIF support fetches for the top page: the 400w AVIF of each thumbnail.
const topImages = [...new Set([...top.matchAll(/\/img\/([\w-]+-400\.avif)/g)].map((m) => m[1]!))];
const topBytes = topImages.reduce((n, f) => n + statSync(path.join(site, "img", f)).size, 0);
const variants = readdirSync(path.join(site, "img"));
const published = variants.reduce((n, f) => n + statSync(path.join(site, "img", f)).size, 0);

console.log(`| build | seconds |\n|---|---|\n${runs.map(([l, ms]) => `| ${l} | ${(ms / 1000).toFixed(1)} |`).join("\n")}`);
console.log(`Variants published: ${variants.length} files, ${(published / 1024 / 1024).toFixed(1)} MB`);
console.log(`Top page images (AVIF, 400w): ${topImages.length} files, ${(topBytes / 1024).toFixed(1)} KB`);
rmSync(work, { recursive: true, force: true });
