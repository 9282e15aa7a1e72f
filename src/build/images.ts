import { cpSync, mkdirSync } from "node:fs";
import path from "node:path";
import Image, { generateHTML } from "@11ty/eleventy-img";
import { ROOT } from "../options.ts";

/** Widths of the generated variants: phone, tablet/2x phone, desktop 2x for the 48rem column. */
export const IMAGE_WIDTHS = [400, 800, 1200];

/** Encoded variants survive between builds (and CI runs cache this folder). */
export const IMAGE_CACHE = process.env.SITE_IMAGE_CACHE ?? path.join(ROOT, ".cache/img");

const OPTIONS = {
  // AVIF and WebP for browsers that take them, the original format (JPEG/PNG) as the fallback.
  formats: ["avif", "webp", "auto"],
  widths: IMAGE_WIDTHS,
  outputDir: IMAGE_CACHE,
  urlPath: "/img/",
  svgShortCircuit: false,
  sharpJpegOptions: { quality: 78, mozjpeg: true },
  sharpWebpOptions: { quality: 75 },
  // effort 2 encodes ~10x faster than the default 4 for a few percent more bytes.
  sharpAvifOptions: { quality: 55, effort: 2 },
};

type Metadata = Record<string, { url: string; width: number; height: number; srcset: string }[]>;

/** src (/media/…) → generated variants, filled before any page renders (see checkMedia). */
const prepared = new Map<string, Metadata>();

/**
 * Generates (or finds in the cache) the variants of one uploaded image. Runs once per image
 * per build, during validation, so that pages can then be rendered synchronously: no HTML
 * post-processing pass over every page. Metadata never includes EXIF (sharp drops it).
 */
export async function prepareImage(contentDir: string, src: string): Promise<void> {
  if (prepared.has(src)) return;
  const metadata = (await Image(path.join(contentDir, decodeURIComponent(src)), OPTIONS)) as Metadata;
  prepared.set(src, metadata);
}

export interface PictureAttributes {
  alt: string;
  sizes: string;
  loading?: "lazy" | "eager";
  fetchpriority?: "high";
  class?: string;
}

/** <picture> with AVIF/WebP sources, width/height, lazy loading unless told otherwise. */
export function pictureHtml(src: string, attributes: PictureAttributes): string {
  const metadata = prepared.get(src);
  if (!metadata) throw new Error(`image ${src} was not prepared before rendering`);
  return generateHTML(metadata, { loading: "lazy", decoding: "async", ...attributes }) as string;
}

export function isPrepared(src: string): boolean {
  return prepared.has(src);
}

/** Starts a build's set of images afresh (npm start rebuilds in the same process). */
export function resetPreparedImages(): void {
  prepared.clear();
}

/**
 * Copies the variants of this build's images from the cache into the site. Only images some
 * published entry uses were prepared, so no page needs to be read to know which ones to copy.
 */
export function copyPreparedImages(outputDir: string): number {
  const files = [...prepared.values()].flatMap((metadata) => Object.values(metadata).flat().map((v) => path.basename(v.url)));
  if (files.length === 0) return 0;
  mkdirSync(path.join(outputDir, "img"), { recursive: true });
  for (const name of new Set(files)) cpSync(path.join(IMAGE_CACHE, name), path.join(outputDir, "img", name));
  return files.length;
}
