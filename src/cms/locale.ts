import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../options.ts";

export type Phrases = { [key: string]: string | Phrases };

async function decapLocale(name: string): Promise<Phrases> {
  const mod = (await import(`decap-cms-locales/dist/esm/${name}/index.js`)) as { default: Phrases };
  return mod.default;
}

function readJson(file: string): Phrases {
  return JSON.parse(readFileSync(path.join(ROOT, "admin/locales", file), "utf8")) as Phrases;
}

function merge(base: Phrases, extra: Phrases): Phrases {
  const out: Phrases = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    out[key] = typeof value === "object" && typeof current === "object" ? merge(current, value) : value;
  }
  return out;
}

/** Leaf keys of `reference` that `phrases` lacks or leaves empty (dotted paths). */
export function missingPhrases(reference: Phrases, phrases: Phrases, prefix = ""): string[] {
  return Object.entries(reference).flatMap(([key, value]) => {
    const other = phrases[key];
    if (typeof value === "object") return missingPhrases(value, typeof other === "object" ? other : {}, `${prefix}${key}.`);
    return typeof other === "string" && other.trim() !== "" ? [] : [`${prefix}${key}`];
  });
}

/**
 * Decap's Japanese phrases completed: the shipped `ja` ← our translations of the keys it lacks
 * (admin/locales/ja-extra.json) ← our corrections (ja-overrides.json). An editor never meets English.
 */
export async function japanesePhrases(): Promise<{ phrases: Phrases; english: Phrases }> {
  const [english, japanese] = await Promise.all([decapLocale("en"), decapLocale("ja")]);
  const phrases = merge(merge(japanese, readJson("ja-extra.json")), readJson("ja-overrides.json"));
  return { phrases, english };
}
