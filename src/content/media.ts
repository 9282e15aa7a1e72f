import { statSync } from "node:fs";
import path from "node:path";
import { prepareImage } from "../build/images.ts";
import { ContentError } from "../schema/errors.ts";
import { ATTACHMENT_PATH, IMAGE_PATH, MAX_ATTACHMENT_BYTES, MAX_IMAGE_BYTES } from "../schema/media.ts";
import type { Attachment, ContentImage, Entry, SiteContent } from "./site.ts";

const TYPE_LABELS: Record<string, string> = {
  pdf: "PDF",
  docx: "Word",
  xlsx: "Excel",
  pptx: "PowerPoint",
  csv: "CSV",
  zip: "ZIP",
};

/**
 * 「（PDF：1.2MB）」 — the type and size Japanese public sites show next to a download link.
 * @example attachmentLabel("PDF", 1_234_567) // "PDF：1.2MB"
 */
export function attachmentLabel(type: string, bytes: number): string {
  if (bytes < 1024 * 1024) return `${type}：${Math.max(1, Math.round(bytes / 1024))}KB`;
  return `${type}：${(bytes / 1024 / 1024).toFixed(1)}MB`;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)}MB`;

function imagesOf(entry: Entry): { field: string; image: ContentImage }[] {
  const out: { field: string; image: ContentImage }[] = [];
  if ((entry.kind === "news" || entry.kind === "events") && entry.image) out.push({ field: "メイン画像 (image)", image: entry.image });
  if (entry.kind === "labs") {
    if (entry.logo) out.push({ field: "ロゴ (logo)", image: entry.logo });
    entry.photos.forEach((image, i) => out.push({ field: `活動写真 ${i + 1} (photos)`, image }));
  }
  return out;
}

/**
 * Checks every uploaded file an entry refers to: it exists, is an allowed type within the size
 * limit, and images decode. Fills in each attachment's type and size for its link label.
 */
export async function checkMedia(site: SiteContent, contentDir: string): Promise<void> {
  const problems: string[] = [];
  const imageCache = new Map<string, string | undefined>();

  const checkFile = (file: string, src: string, field: string, limit: number): number | undefined => {
    const onDisk = path.join(contentDir, decodeURIComponent(src));
    let bytes: number;
    try {
      bytes = statSync(onDisk).size;
    } catch {
      problems.push(`${file}: 項目「${field}」: ファイル「${src}」が見つかりません。アップロードし直すか、指定を外してください / file "${src}" does not exist`);
      return undefined;
    }
    if (bytes > limit) {
      problems.push(
        `${file}: 項目「${field}」: ファイル「${src}」が大きすぎます（${mb(bytes)}、上限 ${mb(limit)}）。縮小してからアップロードしてください / "${src}" is ${mb(bytes)}, over the ${mb(limit)} limit`,
      );
      return undefined;
    }
    return bytes;
  };

  const checkImage = async (file: string, src: string, field: string) => {
    if (!IMAGE_PATH.test(src)) {
      problems.push(`${file}: 項目「${field}」: 「${src}」は使える画像ではありません（JPEG・PNG・WebP） / "${src}" is not an allowed image type`);
      return;
    }
    if (checkFile(file, src, field, MAX_IMAGE_BYTES) === undefined) return;
    if (!imageCache.has(src)) {
      try {
        // Decodes the image and makes its variants (or finds them in the cache).
        await prepareImage(contentDir, src);
        imageCache.set(src, undefined);
      } catch (e) {
        imageCache.set(src, (e as Error).message.split("\n")[0]);
      }
    }
    const error = imageCache.get(src);
    if (error) problems.push(`${file}: 項目「${field}」: 画像「${src}」が壊れていて読み込めません / image "${src}" cannot be decoded (${error})`);
  };

  const checkAttachment = (file: string, attachment: Attachment, field: string) => {
    const bytes = checkFile(file, attachment.file, field, MAX_ATTACHMENT_BYTES);
    if (bytes === undefined) return;
    const ext = path.extname(attachment.file).slice(1).toLowerCase();
    attachment.type = TYPE_LABELS[ext] ?? ext.toUpperCase();
    attachment.bytes = bytes;
  };

  const all: Entry[] = [...site.labs, ...site.news, ...site.events, ...site.pages];
  for (const entry of all) {
    const file = `content/${entry.inputPath}`;
    for (const { field, image } of imagesOf(entry)) await checkImage(file, image.src, field);
    entry.attachments.forEach((a, i) => checkAttachment(file, a, `添付ファイル ${i + 1} (attachments)`));
    for (const src of entry.bodyMedia.images) await checkImage(file, src, "本文の画像 (body)");
    for (const href of entry.bodyMedia.files) {
      if (IMAGE_PATH.test(href)) {
        problems.push(
          `${file}: 項目「本文のリンク (body)」: 写真「${href}」へのリンクは公開されません（元の写真は公開しないため）。画像として本文に挿入してください / links to original photos are not published; insert the image instead`,
        );
      } else if (ATTACHMENT_PATH.test(href)) checkFile(file, href, "本文のリンク (body)", MAX_ATTACHMENT_BYTES);
      else problems.push(`${file}: 項目「本文のリンク (body)」: 「${href}」は添付できない種類のファイルです / "${href}" is not an allowed file type`);
    }
  }
  if (problems.length > 0) throw new ContentError(problems);
}

/** Every non-image upload the public site must serve (attachments and files linked from bodies). */
export function publishedFiles(site: SiteContent): string[] {
  const all: Entry[] = [...site.labs, ...site.news, ...site.events, ...site.pages];
  const files = new Set<string>();
  for (const entry of all) {
    for (const a of entry.attachments) files.add(a.file);
    for (const href of entry.bodyMedia.files) if (ATTACHMENT_PATH.test(href)) files.add(href);
  }
  return [...files].sort();
}
