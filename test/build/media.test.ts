import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { syntheticPhoto } from "../../scripts/lib/synthetic-images.ts";
import { copyOfSampleContent, runBuild, type BuildResult } from "../helpers/build.ts";
import { readPage } from "../helpers/site.ts";

const NEWS = (extra: string, body = "本文です。") => `---
title: 写真つきのお知らせ
date: 2026-11-21
category: report
summary: 写真と添付ファイルのテストです。
${extra}---
${body}
`;

let content: string;
let built: BuildResult;
let cameraJpeg: Buffer;

beforeAll(async () => {
  content = copyOfSampleContent();
  const media = path.join(content, "media");
  // A camera photo: 4000x3000 with GPS position in its EXIF.
  cameraJpeg = await syntheticPhoto(42, { width: 4000, height: 3000, gps: true, quality: 92 });
  writeFileSync(path.join(media, "camera-photo.jpg"), cameraJpeg);
  writeFileSync(path.join(media, "diagram.png"), await sharp({ create: { width: 900, height: 600, channels: 4, background: "#3366cc80" } }).png().toBuffer());
  writeFileSync(path.join(media, "poster.webp"), await sharp(await syntheticPhoto(7, { width: 1000, height: 1400 })).webp().toBuffer());
  writeFileSync(path.join(media, "guidelines.pdf"), readFileSync(path.join(import.meta.dirname, "../../content/media/fy2026-demonstration-guidelines.pdf")));
  writeFileSync(
    path.join(content, "news/2026-11-21-photo.md"),
    NEWS(
      "image:\n  src: /media/camera-photo.jpg\n  alt: 路面センサーを取り付けた除雪車\nattachments:\n  - file: /media/guidelines.pdf\n    label: 募集要項\n",
      "本文の図です。\n\n![システム構成図](/media/diagram.png)\n\n![ポスター](/media/poster.webp)\n",
    ),
  );
  built = await runBuild({ content });
}, 240_000);

function builtImages(): string[] {
  return readdirSync(path.join(built.output, "img"));
}

describe("写真とファイル（@11ty/eleventy-img）", () => {
  it("ビルドが成功する", () => {
    expect(built.ok, built.stderr).toBe(true);
  });

  it("写真は AVIF・WebP・JPEG の複数幅になり、width/height と sizes がつく", () => {
    const html = readPage("/news/2026-11-21-photo/", built.output);
    const lead = html.match(/<picture>[\s\S]*?<\/picture>/)![0];
    expect(lead).toContain('type="image/avif"');
    expect(lead).toContain('type="image/webp"');
    expect(lead).toMatch(/<img [^>]*src="\/img\/[\w-]+-400\.jpeg"/);
    expect(lead).toMatch(/srcset="[^"]*-400\.avif 400w, [^"]*-800\.avif 800w, [^"]*-1200\.avif 1200w"/);
    expect(lead).toContain('width="1200" height="900"');
    expect(lead).toContain('sizes="(min-width: 52rem) 48rem, calc(100vw - 2rem)"');
    expect(lead).toContain('alt="路面センサーを取り付けた除雪車"');
    // The lead photo is above the fold; body images load lazily.
    expect(lead).toContain('loading="eager"');
    const body = html.slice(html.indexOf('<div class="c-prose">'));
    expect(body).toMatch(/<img [^>]*loading="lazy"[^>]*decoding="async"|<img [^>]*decoding="async"[^>]*loading="lazy"/);
    expect(body).toContain('alt="システム構成図"');
  });

  it("PNG は透過を保ち、WebP も変換される", () => {
    const html = readPage("/news/2026-11-21-photo/", built.output);
    expect(html).toMatch(/\/img\/[\w-]+-400\.png/);
    expect(html).toMatch(/alt="ポスター"/);
  });

  it("元の写真は公開されず、公開される画像から EXIF（GPS を含む）が消えている", async () => {
    expect((await sharp(cameraJpeg).metadata()).exif).toBeDefined();
    const all = readdirSync(built.output, { recursive: true }).map(String);
    expect(all.some((f) => f.endsWith("camera-photo.jpg"))).toBe(false);
    expect(all.some((f) => f.startsWith("media") && /\.(jpe?g|png|webp)$/.test(f))).toBe(false);
    const variants = builtImages();
    expect(variants.length).toBeGreaterThanOrEqual(9);
    for (const name of variants) {
      const bytes = readFileSync(path.join(built.output, "img", name));
      const meta = await sharp(bytes).metadata();
      expect(meta.exif, name).toBeUndefined();
      expect(bytes.includes(Buffer.from("GPS")), name).toBe(false);
      expect(bytes.includes(Buffer.from("ExamplePhone")), name).toBe(false);
    }
  });

  it("生成される画像の寸法は幅のとおりで、元より大きくしない", async () => {
    const jpeg1200 = builtImages().find((n) => n.endsWith("-1200.jpeg"))!;
    const meta = await sharp(path.join(built.output, "img", jpeg1200)).metadata();
    expect(meta.width).toBe(1200);
    const png = builtImages().filter((n) => n.endsWith(".png"));
    const widths = await Promise.all(png.map(async (n) => (await sharp(path.join(built.output, "img", n)).metadata()).width));
    expect(Math.max(...widths.map(Number))).toBeLessThanOrEqual(900);
  });

  it("添付ファイルは形式とサイズつきで公開される（例: 募集要項（PDF：1KB））", () => {
    const html = readPage("/news/2026-11-21-photo/", built.output);
    expect(html).toMatch(/<a href="\/media\/guidelines\.pdf">募集要項（PDF：\d+KB）<\/a>/);
    expect(readFileSync(path.join(built.output, "media/guidelines.pdf")).subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("変更のない再ビルドでは画像を作り直さない（キャッシュ）", async () => {
    const cacheDir = path.join(import.meta.dirname, "../../.cache/img");
    const before = new Map(readdirSync(cacheDir).map((n) => [n, readFileSync(path.join(cacheDir, n)).length]));
    const stamp = execFileSync("find", [cacheDir, "-newer", path.join(built.output, "index.html"), "-type", "f"]).toString().trim();
    const again = await runBuild({ content });
    expect(again.ok).toBe(true);
    const after = execFileSync("find", [cacheDir, "-newer", path.join(built.output, "index.html"), "-type", "f"]).toString().trim();
    expect(after).toBe(stamp);
    expect(readdirSync(cacheDir).length).toBe(before.size);
  });
});

describe("写真とファイルの誤りは、ファイル名と項目名を示して止める", () => {
  async function buildWith(file: string, text: string, extra?: (dir: string) => void | Promise<void>) {
    const dir = copyOfSampleContent();
    if (extra) await extra(dir);
    writeFileSync(path.join(dir, file), text);
    return runBuild({ content: dir });
  }

  it("許可されていない種類のファイル", async () => {
    const r = await buildWith(
      "news/2026-11-22-exe.md",
      NEWS("attachments:\n  - file: /media/setup.exe\n    label: ツール\n"),
      (dir) => writeFileSync(path.join(dir, "media/setup.exe"), "MZ"),
    );
    expect(r.ok).toBe(false);
    expect(r.stderr).toContain("content/news/2026-11-22-exe.md: 項目「添付ファイル › ファイル」(attachments.0.file): 添付できるのは pdf・docx・xlsx・pptx・csv・zip 形式です");
  });

  it("存在しないファイル", async () => {
    const r = await buildWith("news/2026-11-22-missing.md", NEWS("image:\n  src: /media/no-such-photo.jpg\n  alt: ない写真\n"));
    expect(r.ok).toBe(false);
    expect(r.stderr).toContain("content/news/2026-11-22-missing.md: 項目「メイン画像 (image)」: ファイル「/media/no-such-photo.jpg」が見つかりません");
  });

  it("壊れた画像", async () => {
    const r = await buildWith("news/2026-11-22-corrupt.md", NEWS("image:\n  src: /media/broken.jpg\n  alt: 壊れた写真\n"), (dir) =>
      writeFileSync(path.join(dir, "media/broken.jpg"), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5])),
    );
    expect(r.ok).toBe(false);
    expect(r.stderr).toContain("content/news/2026-11-22-corrupt.md: 項目「メイン画像 (image)」: 画像「/media/broken.jpg」が壊れていて読み込めません");
  });

  it("大きすぎる写真（30MB）", async () => {
    const r = await buildWith("news/2026-11-22-huge.md", NEWS("image:\n  src: /media/huge.jpg\n  alt: 大きな写真\n"), (dir) =>
      writeFileSync(path.join(dir, "media/huge.jpg"), Buffer.alloc(30 * 1024 * 1024, 1)),
    );
    expect(r.ok).toBe(false);
    expect(r.stderr).toContain("content/news/2026-11-22-huge.md: 項目「メイン画像 (image)」: ファイル「/media/huge.jpg」が大きすぎます（30.0MB、上限 5.0MB）");
  });

  it("代替テキストのない写真", async () => {
    const r = await buildWith("news/2026-11-22-noalt.md", NEWS("image:\n  src: /media/snow-sensor-road.jpg\n"));
    expect(r.ok).toBe(false);
    expect(r.stderr).toContain("content/news/2026-11-22-noalt.md: 項目「メイン画像 › 代替テキスト（画像の説明・装飾の画像以外は必須）」(image.alt): 代替テキストを入力するか、「装飾のための画像」をオンにしてください");
  });

  it("装飾の画像なら代替テキストなしで公開でき、alt は空になる", async () => {
    const r = await buildWith("news/2026-11-22-deco.md", NEWS("image:\n  src: /media/snow-sensor-road.jpg\n  decorative: true\n"));
    expect(r.ok, r.stderr).toBe(true);
    expect(readPage("/news/2026-11-22-deco/", r.output)).toMatch(/<img [^>]*alt=""/);
  });
});
