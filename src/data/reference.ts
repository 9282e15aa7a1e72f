import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { ContentError, formatIssues } from "../schema/errors.ts";
import { schemaOf } from "../schema/fields.ts";
import { siteSettingsFields } from "../schema/settings.ts";

const siteSchema = schemaOf(siteSettingsFields);

const schemas = {
  site: siteSchema,
  regions: z.array(z.object({ id: z.string().min(1), name: z.string().min(1) })).min(1),
  prefectures: z
    .array(z.object({ code: z.string().regex(/^\d{2}$/), name: z.string().min(1), region: z.string().min(1) }))
    .length(47),
  themes: z.array(z.object({ id: z.string().min(1), name: z.string().min(1) })).min(1),
  newsCategories: z.array(z.object({ id: z.string().min(1), name: z.string().min(1) })).min(1),
  cms: z.object({
    repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
    branch: z.string().min(1),
    // Decap compares this exactly with the sign-in popup's origin: no path, no trailing slash.
    authBaseUrl: z.string().regex(/^https:\/\/[a-z0-9.-]+(:\d+)?$/, { message: "pattern:https:// から始まるオリジンだけを書いてください（例: https://cms-auth.example.jp）|must be a bare https origin" }),
  }),
  accessibilityReport: z.object({
    testedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    standard: z.string(),
    tool: z.string(),
    pages: z.number().int(),
    viewports: z.array(z.number().int()),
    pagesWithViolations: z.number().int(),
  }),
  rounds: z
    .array(z.object({ number: z.number().int(), name: z.string().min(1), date: z.string().optional() }))
    .min(1),
};

type Link = { label: string; url: string };
export interface SiteSettings {
  name: string;
  shortName: string;
  description: string;
  url: string;
  publisher: string;
  contactEmail: string;
  parentSite: { name: string; url: string };
  navigation: Link[];
  footerLinks: Link[];
  relatedSites: Link[];
}
export type ReferenceData = { [K in Exclude<keyof typeof schemas, "site">]: z.infer<(typeof schemas)[K]> } & { site: SiteSettings };

/**
 * Reads the site settings and reference lists from `_data/` and validates them, so a typo in
 * the settings stops the build with the file and field named instead of breaking pages.
 */
export function loadReferenceData(dataDir: string): ReferenceData {
  const out: Record<string, unknown> = {};
  const errors: string[] = [];
  for (const [name, schema] of Object.entries(schemas)) {
    const file = path.join(dataDir, `${name}.json`);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      errors.push(`${file}: 読み込めません（JSONの書式を確認してください） / cannot be read as JSON: ${(e as Error).message}`);
      continue;
    }
    const result = schema.safeParse(raw);
    if (result.success) out[name] = result.data;
    else errors.push(...formatIssues(file, result.error.issues, {}));
  }
  const data = out as ReferenceData;
  if (errors.length === 0) {
    const regionIds = new Set(data.regions.map((r) => r.id));
    for (const p of data.prefectures) {
      if (!regionIds.has(p.region)) errors.push(`${path.join(dataDir, "prefectures.json")}: ${p.name} の地方「${p.region}」がregions.jsonにありません / unknown region "${p.region}"`);
    }
  }
  if (errors.length > 0) throw new ContentError(errors);
  return data;
}
