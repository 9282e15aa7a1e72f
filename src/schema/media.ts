import { z } from "zod";
import { boolean, emptyToUndefined, text, type DecapField, type FieldSpec } from "./fields.ts";

/** What editors may upload, and how big a stored file may be. Enforced in the CMS and at build. */
export const IMAGE_EXTENSIONS = ["jpg", "jpeg", "png", "webp"] as const;
export const ATTACHMENT_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "csv", "zip"] as const;
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** The CMS checks the original before resizing it in the browser, so it allows camera-sized photos. */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

export const MEDIA_PREFIX = "/media/";

const anyCase = (ext: string) => [...ext].map((c) => `[${c.toLowerCase()}${c.toUpperCase()}]`).join("");
/** An ASCII file name with one of the extensions, in any letter case (phones write .JPG). */
const namePattern = (extensions: readonly string[]) => `[A-Za-z0-9_-][A-Za-z0-9._-]*\\.(${extensions.map(anyCase).join("|")})`;
const pathPattern = (extensions: readonly string[]) => new RegExp(`^/media/${namePattern(extensions)}$`);
/** Decap validates a file widget's pattern against the file's base name only. */
const basenamePattern = (extensions: readonly string[]) => new RegExp(`^${namePattern(extensions)}$`);

export const IMAGE_PATH = pathPattern(IMAGE_EXTENSIONS);
export const ATTACHMENT_PATH = pathPattern(ATTACHMENT_EXTENSIONS);

const IMAGE_MESSAGE: [string, string] = [
  `写真は ${IMAGE_EXTENSIONS.join("・")} 形式で、ファイル名を半角英数字にしてからアップロードしてください（例: seminar-2026.jpg）`,
  `must be a ${IMAGE_EXTENSIONS.join("/")} file under /media/ with an ASCII file name`,
];
const ATTACHMENT_MESSAGE: [string, string] = [
  `添付できるのは ${ATTACHMENT_EXTENSIONS.join("・")} 形式です。ファイル名は半角英数字にしてください（例: boshu-yoko.pdf）`,
  `must be a ${ATTACHMENT_EXTENSIONS.join("/")} file under /media/ with an ASCII file name`,
];

/**
 * Photos are resized and re-encoded in the editor's browser before they are committed (Decap's
 * media_processing), which also drops EXIF such as GPS position.
 */
export const PHOTO_PROCESSING = { enabled: true, width: 1600, quality: 82, strip_metadata: true, format: { enabled: true, default: "jpeg" } };
const LOGO_PROCESSING = { enabled: true, width: 600, strip_metadata: true };

function mediaWidget(name: string, label: string, widget: "image" | "file", extensions: readonly string[], message: [string, string], hint: string, processing?: object): DecapField {
  const pattern = basenamePattern(extensions);
  return {
    name,
    label,
    widget,
    hint,
    choose_url: false,
    pattern: [pattern.source, message[0]],
    media_library: { config: { max_file_size: MAX_UPLOAD_BYTES } },
    ...(processing ? { media_processing: processing } : {}),
  };
}

const mediaPath = (pattern: RegExp, message: [string, string]) =>
  z.string().trim().regex(pattern, { message: `pattern:${message[0]}|${message[1]}` });

const ALT_HINT =
  "写真の内容を、見えない人にも伝わるように書きます（例: 「除雪車に取り付けた路面センサー」）。「写真」「画像」とだけ書くのは避けてください。";

/**
 * A content image with its alternative text. Alt is required unless the editor marks the
 * image as decorative (then it is published with alt="").
 */
export function image(c: { label: string; hint?: string; required?: boolean; logo?: boolean }): FieldSpec {
  const inner = z
    .object({
      src: mediaPath(IMAGE_PATH, IMAGE_MESSAGE),
      alt: z.preprocess((v) => (v === null ? undefined : v), z.string().trim().max(200).optional()),
      decorative: z.boolean().default(false),
    })
    .superRefine((value, ctx) => {
      if (!value.decorative && !value.alt) {
        ctx.addIssue({
          code: "custom",
          path: ["alt"],
          message:
            "pattern:代替テキストを入力するか、「装飾のための画像」をオンにしてください|alt text is required unless the image is marked decorative",
        });
      }
    });
  const empty = (v: unknown) =>
    v === "" || v === null || (typeof v === "object" && v !== null && !("src" in v && (v as { src?: unknown }).src)) ? undefined : v;
  return {
    zod: c.required === false ? z.preprocess(empty, inner.optional()) : inner,
    label: c.label,
    required: c.required !== false,
    decap: (name) => ({
      name,
      label: c.label,
      widget: "object",
      collapsed: false,
      ...(c.hint ? { hint: c.hint } : {}),
      ...(c.required === false ? { required: false } : {}),
      fields: [
        // Decap validates nested fields even when the optional group is left empty, so inside an
        // optional image nothing is required in the CMS; the build requires src and alt.
        {
          ...mediaWidget("src", "画像ファイル", "image", IMAGE_EXTENSIONS, IMAGE_MESSAGE, "JPEG・PNG・WebP。大きな写真は自動で縮小されます。", c.logo ? LOGO_PROCESSING : PHOTO_PROCESSING),
          ...(c.required === false ? { required: false } : {}),
        },
        { ...text({ label: "代替テキスト（画像の説明・装飾の画像以外は必須）", required: false }).decap("alt"), hint: ALT_HINT },
        boolean({ label: "装飾のための画像", hint: "内容を伝えない飾りの画像のときだけオンにします（代替テキストは不要になります）。" }).decap("decorative"),
      ],
    }),
  };
}

/** A list of photos (e.g. a lab's activities), each with alt text and an optional caption. */
export function photoList(c: { label: string; hint?: string; max?: number }): FieldSpec {
  const one = image({ label: "写真" });
  const caption = text({ label: "キャプション", required: false, max: 100 });
  const item = z.intersection(one.zod, z.object({ caption: caption.zod }));
  let list = z.array(item);
  if (c.max) list = list.max(c.max);
  return {
    zod: z.preprocess(emptyToUndefined, list.default([])),
    label: c.label,
    required: false,
    decap: (name) => ({
      name,
      label: c.label,
      widget: "list",
      required: false,
      ...(c.hint ? { hint: c.hint } : {}),
      ...(c.max ? { max: c.max } : {}),
      summary: "{{fields.alt}}",
      fields: [...((one.decap("photo").fields as DecapField[]) ?? []), caption.decap("caption")],
    }),
  };
}

/** Downloadable files, each with a label; the site shows type and size next to it. */
export function attachments(c: { label: string; hint?: string }): FieldSpec {
  const label = text({ label: "表示名", max: 100 });
  const item = z.object({ file: mediaPath(ATTACHMENT_PATH, ATTACHMENT_MESSAGE), label: label.zod });
  return {
    zod: z.preprocess(emptyToUndefined, z.array(item).max(20).default([])),
    label: c.label,
    required: false,
    decap: (name) => ({
      name,
      label: c.label,
      widget: "list",
      required: false,
      max: 20,
      ...(c.hint ? { hint: c.hint } : {}),
      summary: "{{fields.label}}",
      fields: [
        mediaWidget("file", "ファイル", "file", ATTACHMENT_EXTENSIONS, ATTACHMENT_MESSAGE, `PDF・Word・Excel・PowerPoint・CSV・ZIP（${MAX_ATTACHMENT_BYTES / 1024 / 1024}MBまで）。`),
        { ...label.decap("label"), hint: "リンクの文字になります（例: 募集要項）。形式とサイズは自動で表示されます。" },
      ],
    }),
  };
}
