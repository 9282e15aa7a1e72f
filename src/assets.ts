import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire, stripTypeScriptTypes } from "node:module";
import path from "node:path";
import { japanesePhrases } from "./cms/locale.ts";
import { ROOT } from "./options.ts";

const require = createRequire(import.meta.url);
const CSS_FILES = ["base.css", "layout.css", "components.css"];

/**
 * The design tokens of the Japanese government design system (DADS), cut down to the custom
 * properties our CSS actually uses, so visitors download only what is needed.
 */
function usedTokens(css: string): string {
  const tokensFile = require.resolve("@digital-go-jp/design-tokens/dist/tokens.css");
  const declarations = readFileSync(tokensFile, "utf8").matchAll(/^\s*(--[a-z0-9-]+):\s*([^;]+);/gm);
  const used = new Set([...css.matchAll(/var\((--[a-z0-9-]+)/g)].map((m) => m[1]));
  const lines = [...declarations].filter((m) => used.has(m[1]!)).map((m) => `${m[1]}:${m[2]!.trim()}`);
  return `:root{${lines.join(";")}}\n`;
}

export interface Asset {
  url: string;
  content: string;
}

const hashed = (name: string, ext: string, content: string): Asset => ({
  url: `/assets/${name}.${createHash("sha256").update(content).digest("hex").slice(0, 10)}.${ext}`,
  content,
});

/** Concatenates the site CSS, prefixed with the tokens it uses, under a content-hashed URL. */
export function buildCss(): Asset {
  const own = CSS_FILES.map((f) => readFileSync(path.join(ROOT, "src/css", f), "utf8")).join("\n");
  return hashed("site", "css", usedTokens(own) + own);
}

/**
 * Browser scripts are TypeScript in src/client/, served with the types stripped by Node itself
 * (erasable syntax only), so they need no bundler. Only the search page loads one.
 */
export function buildScript(file: string, urlDir = "assets"): Asset {
  const source = readFileSync(path.join(ROOT, file), "utf8");
  const asset = hashed(path.basename(file, ".ts"), "js", quietly(() => stripTypeScriptTypes(source, { mode: "strip" })));
  return { ...asset, url: asset.url.replace(/^\/assets\//, `/${urlDir}/`) };
}

/** Node marks stripTypeScriptTypes experimental; the warning on every build tells editors nothing. */
function quietly<T>(fn: () => T): T {
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: never[]) => {
    if (String(warning).includes("stripTypeScriptTypes")) return;
    emit.call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return fn();
  } finally {
    process.emitWarning = emit;
  }
}

export interface Assets {
  css: Asset;
  search: Asset;
  cms: Asset;
  cmsLocale: Asset;
}

export async function buildAssets(): Promise<Assets> {
  const { phrases } = await japanesePhrases();
  const locale = hashed("locale-ja", "js", `window.CMS.registerLocale("ja", ${JSON.stringify(phrases)});\n`);
  return {
    css: buildCss(),
    search: buildScript("src/client/search.ts"),
    cms: buildScript("admin/cms.ts", "admin"),
    cmsLocale: { ...locale, url: locale.url.replace(/^\/assets\//, "/admin/") },
  };
}
