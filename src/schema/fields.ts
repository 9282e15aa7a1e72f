import { z } from "zod";
import { DateTime } from "luxon";

/**
 * A content field described once: the zod schema that validates it at build time and the
 * Decap CMS field definition that edits it. Both come from the same call, so the CMS and the
 * build cannot disagree about names, required-ness, patterns or options.
 */
export interface FieldSpec<T extends z.ZodType = z.ZodType> {
  zod: T;
  label: string;
  required: boolean;
  decap: (name: string) => DecapField;
}

export type DecapField = Record<string, unknown> & { name: string; label: string; widget: string };

export const TIME_ZONE = "Asia/Tokyo";

interface Common {
  label: string;
  hint?: string;
  required?: boolean;
}

function decapBase(name: string, c: Common, widget: string, extra: Record<string, unknown> = {}): DecapField {
  const field: DecapField = { name, label: c.label, widget, ...extra };
  if (c.hint) field.hint = c.hint;
  if (c.required === false) field.required = false;
  return field;
}

function maybeOptional<T extends z.ZodType>(schema: T, required: boolean | undefined) {
  return required === false ? schema.optional() : schema;
}

/** Empty strings from the CMS mean "not set" for optional fields. */
export function emptyToUndefined(value: unknown): unknown {
  return value === "" || value === null ? undefined : value;
}

export function text(c: Common & { multiline?: boolean; max?: number; pattern?: [RegExp, string, string] }): FieldSpec {
  let schema = z.string().trim().min(1, { message: "required" });
  if (c.max) schema = schema.max(c.max);
  if (c.pattern) schema = schema.regex(c.pattern[0], { message: `pattern:${c.pattern[1]}|${c.pattern[2]}` });
  const zod = c.required === false ? z.preprocess(emptyToUndefined, schema.optional()) : schema;
  return {
    zod,
    label: c.label,
    required: c.required !== false,
    decap: (name) =>
      decapBase(name, c, c.multiline ? "text" : "string", {
        ...(c.pattern ? { pattern: [c.pattern[0].source, c.pattern[1]] } : {}),
      }),
  };
}

const URL_PATTERN: [RegExp, string, string] = [
  /^https?:\/\/[^\s"'<>]+$/,
  "http:// または https:// で始まるURLを入力してください",
  "must be a URL starting with http:// or https://",
];
const EMAIL_PATTERN: [RegExp, string, string] = [
  /^[^\s@"'<>]+@[^\s@"'<>]+\.[^\s@"'<>]+$/,
  "メールアドレスの形式で入力してください（例: info@example.jp）",
  "must be an e-mail address",
];
const PHONE_PATTERN: [RegExp, string, string] = [
  /^[0-9０-９()（）+\-‐－ ]{6,20}$/,
  "電話番号は数字とハイフンで入力してください（例: 03-0000-0000）",
  "must be a phone number of digits and hyphens",
];
export const SLUG_PATTERN: [RegExp, string, string] = [
  /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
  "半角英小文字・数字・ハイフンで入力してください（例: 2026-11-smart-agri）",
  "must be lowercase ASCII letters, digits and hyphens",
];

export const url = (c: Common) => text({ ...c, pattern: URL_PATTERN });
export const email = (c: Common) => text({ ...c, pattern: EMAIL_PATTERN });
export const phone = (c: Common) => text({ ...c, pattern: PHONE_PATTERN });

export function boolean(c: Common & { default?: boolean }): FieldSpec {
  return {
    zod: z.boolean().default(c.default ?? false),
    label: c.label,
    required: false,
    decap: (name) => decapBase(name, { ...c, required: false }, "boolean", { default: c.default ?? false }),
  };
}

export interface Option {
  value: string;
  label: string;
}

export function select(c: Common & { options: Option[]; multiple?: boolean; min?: number; max?: number }): FieldSpec {
  const values = c.options.map((o) => o.value);
  if (values.length === 0) throw new Error(`select field "${c.label}" has no options`);
  const one = z.string().refine((v) => values.includes(v), { message: `enum:${values.join(", ")}` });
  let zod: z.ZodType;
  if (c.multiple) {
    let list = z.array(one);
    if (c.min) list = list.min(c.min);
    if (c.max) list = list.max(c.max);
    zod = c.required === false ? z.preprocess(emptyToUndefined, list.default([])) : list;
  } else {
    zod = c.required === false ? z.preprocess(emptyToUndefined, one.optional()) : one;
  }
  return {
    zod,
    label: c.label,
    required: c.required !== false,
    decap: (name) =>
      decapBase(name, c, "select", {
        options: c.options,
        ...(c.multiple ? { multiple: true } : {}),
        ...(c.min ? { min: c.min } : {}),
        ...(c.max ? { max: c.max } : {}),
      }),
  };
}

/** Integer choice shown as a select (e.g. selection round 第1弾 … 第7弾). */
export function numberSelect(c: Common & { options: { value: number; label: string }[] }): FieldSpec {
  const values = c.options.map((o) => o.value);
  const zod = z.coerce.number().int().refine((v) => values.includes(v), { message: `enum:${values.join(", ")}` });
  return {
    zod: maybeOptional(zod, c.required),
    label: c.label,
    required: c.required !== false,
    decap: (name) =>
      decapBase(name, c, "select", { options: c.options.map((o) => ({ value: o.value, label: o.label })) }),
  };
}

/** Lab ids chosen from the labs collection; the build checks that each exists. */
export function labRelation(c: Common & { multiple?: boolean }): FieldSpec {
  const id = z.string().regex(SLUG_PATTERN[0], { message: `pattern:${SLUG_PATTERN[1]}|${SLUG_PATTERN[2]}` });
  const zod = c.multiple
    ? z.preprocess(emptyToUndefined, z.array(id).default([]))
    : maybeOptional(id, c.required);
  // A list of labs may be empty; a single lab is required unless said otherwise.
  const required = !c.multiple && c.required !== false;
  return {
    zod,
    label: c.label,
    required,
    decap: (name) =>
      decapBase(name, { ...c, required }, "relation", {
        collection: "labs",
        value_field: "id",
        search_fields: ["name", "municipality", "id"],
        display_fields: ["name"],
        ...(c.multiple ? { multiple: true } : {}),
      }),
  };
}

/** Parses a date-only value as a calendar day in Asia/Tokyo. */
function toTokyoDay(value: unknown, ctx: z.RefinementCtx): DateTime | typeof z.NEVER {
  let dt: DateTime | undefined;
  if (value instanceof Date) {
    // YAML reads `2026-11-20` as UTC midnight; keep the calendar day that was written.
    dt = DateTime.fromObject(
      { year: value.getUTCFullYear(), month: value.getUTCMonth() + 1, day: value.getUTCDate() },
      { zone: TIME_ZONE },
    );
  } else if (typeof value === "string") {
    dt = DateTime.fromISO(value.trim().slice(0, 10), { zone: TIME_ZONE });
  }
  if (!dt || !dt.isValid) {
    ctx.addIssue({ code: "custom", message: "date" });
    return z.NEVER;
  }
  return dt.startOf("day");
}

/** Parses a date-time; values without an offset are read as Asia/Tokyo wall-clock time. */
function toTokyoDateTime(value: unknown, ctx: z.RefinementCtx): DateTime | typeof z.NEVER {
  let dt: DateTime | undefined;
  if (value instanceof Date) dt = DateTime.fromJSDate(value, { zone: TIME_ZONE });
  else if (typeof value === "string") dt = DateTime.fromISO(value.trim().replace(" ", "T"), { zone: TIME_ZONE, setZone: false });
  if (!dt || !dt.isValid) {
    ctx.addIssue({ code: "custom", message: "datetime" });
    return z.NEVER;
  }
  return dt.setZone(TIME_ZONE);
}

export function date(c: Common): FieldSpec {
  const zod = z.unknown().transform(toTokyoDay);
  return {
    zod: c.required === false ? z.preprocess(emptyToUndefined, zod.optional()) : requiredUnknown(zod),
    label: c.label,
    required: c.required !== false,
    decap: (name) =>
      decapBase(name, c, "datetime", { date_format: "YYYY-MM-DD", time_format: false, format: "YYYY-MM-DD" }),
  };
}

export function dateTime(c: Common): FieldSpec {
  const zod = z.unknown().transform(toTokyoDateTime);
  return {
    zod: c.required === false ? z.preprocess(emptyToUndefined, zod.optional()) : requiredUnknown(zod),
    label: c.label,
    required: c.required !== false,
    decap: (name) =>
      decapBase(name, c, "datetime", { date_format: "YYYY-MM-DD", time_format: "HH:mm", format: "YYYY-MM-DDTHH:mm:ssZ" }),
  };
}

function requiredUnknown<T extends z.ZodType>(schema: T) {
  return z.unknown().refine((v) => v !== undefined && v !== null && v !== "", { message: "required" }).pipe(schema);
}

/** An optional group the CMS saved with every field blank means "not given". */
function blankObjectToUndefined(value: unknown): unknown {
  if (value === "" || value === null) return undefined;
  if (typeof value === "object" && value !== null && Object.values(value).every((v) => v === "" || v === null || v === undefined)) {
    return undefined;
  }
  return value;
}

export function object(c: Common & { fields: Record<string, FieldSpec>; collapsed?: boolean }): FieldSpec {
  const inner = z.object(Object.fromEntries(Object.entries(c.fields).map(([k, f]) => [k, f.zod])));
  const optional = c.required === false;
  return {
    zod: optional ? z.preprocess(blankObjectToUndefined, inner.optional()) : inner,
    label: c.label,
    required: !optional,
    decap: (name) =>
      decapBase(name, c, "object", {
        collapsed: c.collapsed ?? false,
        // Decap validates nested fields even when an optional group is left empty, so inside an
        // optional group nothing is required in the CMS; the build still requires them when the
        // group is filled in (e.g. a venue needs its name).
        fields: Object.entries(c.fields).map(([k, f]) => ({ ...f.decap(k), ...(optional ? { required: false } : {}) })),
      }),
  };
}

export type Fields = Record<string, FieldSpec>;

const schemas = new WeakMap<Fields, z.ZodObject>();
/** One zod object per field set: zod compiles a fast path per schema on first use, so reuse it. */
export function schemaOf<F extends Fields>(fields: F) {
  type Shape = { [K in keyof F]: F[K]["zod"] };
  let schema = schemas.get(fields);
  if (!schema) {
    schema = z.object(Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.zod])) as Shape);
    schemas.set(fields, schema);
  }
  return schema as z.ZodObject<Shape>;
}

/** A repeatable group (e.g. navigation links), edited as Decap's list widget. */
export function list(c: Common & { fields: Record<string, FieldSpec>; min?: number; summary?: string }): FieldSpec {
  let schema = z.array(z.object(Object.fromEntries(Object.entries(c.fields).map(([k, f]) => [k, f.zod]))));
  if (c.min) schema = schema.min(c.min);
  return {
    zod: c.required === false ? z.preprocess(emptyToUndefined, schema.default([])) : schema,
    label: c.label,
    required: c.required !== false,
    decap: (name) =>
      decapBase(name, c, "list", {
        ...(c.summary ? { summary: c.summary } : {}),
        ...(c.min ? { min: c.min } : {}),
        fields: Object.entries(c.fields).map(([k, f]) => f.decap(k)),
      }),
  };
}
