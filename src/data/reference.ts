import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { ContentError, formatIssues } from "../schema/errors.ts";

const link = z.object({ label: z.string().min(1), url: z.string().min(1) });

const siteSchema = z.object({
  name: z.string().min(1),
  shortName: z.string().min(1),
  description: z.string().min(1),
  url: z.string().url(),
  publisher: z.string().min(1),
  contactEmail: z.string().email(),
  parentSite: z.object({ name: z.string().min(1), url: z.string().url() }),
  navigation: z.array(link).min(1),
  footerLinks: z.array(link),
  relatedSites: z.array(link),
});

const schemas = {
  site: siteSchema,
  regions: z.array(z.object({ id: z.string().min(1), name: z.string().min(1) })).min(1),
  prefectures: z
    .array(z.object({ code: z.string().regex(/^\d{2}$/), name: z.string().min(1), region: z.string().min(1) }))
    .length(47),
  themes: z.array(z.object({ id: z.string().min(1), name: z.string().min(1) })).min(1),
  newsCategories: z.array(z.object({ id: z.string().min(1), name: z.string().min(1) })).min(1),
  rounds: z
    .array(z.object({ number: z.number().int(), name: z.string().min(1), date: z.string().optional() }))
    .min(1),
};

export type SiteSettings = z.infer<typeof siteSchema>;
export type ReferenceData = { [K in keyof typeof schemas]: z.infer<(typeof schemas)[K]> };

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
