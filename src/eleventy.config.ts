import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { EleventyConfig, CollectionApi } from "./types/eleventy.ts";
import { buildAssets, type Assets } from "./assets.ts";
import { cmsConfig } from "./cms/config.ts";
import { vendorDecap } from "./cms/vendor.ts";
import { adminCsp, serializeCsp, VISITOR_CSP } from "./security/headers.ts";
import { headersFile, hostingSite } from "./security/hosting.ts";
import { checkMedia, publishedFiles } from "./content/media.ts";
import { labIdsIn, parseAccessJson } from "./access/schema.ts";
import { ContentError, problemFiles } from "./schema/errors.ts";
import { describeBuildError } from "./build/errors.ts";
import { visibilityOf } from "./content/visibility.ts";
import { copyPreparedImages, isPrepared, pictureHtml, resetPreparedImages, type PictureAttributes } from "./build/images.ts";
import { breadcrumbJsonLd, entryJsonLd, homeJsonLd, jsonLdScript } from "./seo/jsonld.ts";
import { DataFileCache, writeDataFiles } from "./feeds/index.ts";
import { activeSearchIndexer } from "./build/search-index.ts";
import { BuildMemo } from "./build/build-memo.ts";
import { addDevRebuildRules } from "./build/dev-rebuild.ts";
import { buildSiteContent, collectionOf, type EntryCache, entryUrl, type Entry, type RawEntry, type SiteContent } from "./content/site.ts";
import { loadReferenceData } from "./data/reference.ts";
import { filters } from "./filters/index.ts";
import { createMarkdown } from "./markdown/index.ts";
import { ROOT, siteOptionsFromEnv } from "./options.ts";
import { virtualPages, RESERVED_URLS } from "./pages.ts";

function writeFile(file: string, content: string) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/** Wiring only: each concern lives in its own module under src/. */
export default function (eleventyConfig: EleventyConfig) {
  const options = siteOptionsFromEnv();
  const includeDrafts = options.mode !== "production";

  eleventyConfig.setInputDirectory(options.contentDir);
  eleventyConfig.setIncludesDirectory(path.relative(options.contentDir, path.join(ROOT, "src/templates")));
  // Our own loader validates _data/; Eleventy's data folder inside content/ must stay unused.
  eleventyConfig.setDataDirectory("_eleventy_data_unused");
  eleventyConfig.setTemplateFormats(["md", "njk"]);
  eleventyConfig.setNunjucksEnvironmentOptions({ autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true });
  eleventyConfig.setQuietMode(true);

  const ref = loadReferenceData(options.dataDir);
  // Accounts and roles are checked on every pull request; the build rejects a broken file too.
  const accessFile = path.join(options.dataDir, "access.json");
  if (existsSync(accessFile)) {
    const { config, problems } = parseAccessJson(readFileSync(accessFile, "utf8"), labIdsIn(options.contentDir));
    if (!config) throw new ContentError(problems);
  }
  eleventyConfig.addGlobalData("site", ref.site);
  eleventyConfig.addGlobalData("ref", ref);
  eleventyConfig.addGlobalData("build", { now: options.now, mode: options.mode });
  const localProxy = process.env.SITE_CMS_PROXY ?? "http://localhost:8081/api/v1";
  eleventyConfig.addGlobalData("security", {
    visitorCsp: serializeCsp(VISITOR_CSP, { forMeta: true }),
    adminCsp: serializeCsp(adminCsp({ authOrigin: new URL(ref.cms.authBaseUrl).origin, localProxyOrigin: new URL(localProxy).origin }), { forMeta: true }),
  });
  eleventyConfig.addWatchTarget(options.dataDir);
  // npm start: Eleventy waits until a saved file has not changed for 150 ms before it rebuilds.
  // decap-server and editors write a Markdown file in one go, so a shorter wait is safe.
  eleventyConfig.setChokidarConfig({ awaitWriteFinish: { stabilityThreshold: 50, pollInterval: 10 } });
  eleventyConfig.addWatchTarget(path.join(ROOT, "src/css"));

  const md = createMarkdown(ref.site.url, (src, alt) =>
    isPrepared(src) ? pictureHtml(src, { alt, sizes: "(min-width: 52rem) 48rem, calc(100vw - 2rem)" }) : undefined,
  );
  eleventyConfig.setLibrary("md", md);

  for (const [name, fn] of Object.entries(filters)) eleventyConfig.addFilter(name, fn);
  eleventyConfig.addFilter("absoluteUrl", (url: string) => new URL(url, ref.site.url).toString());
  eleventyConfig.addFilter("entryJsonLd", (entry: Entry) => jsonLdScript(entryJsonLd(ref.site, entry)));
  eleventyConfig.addFilter("homeJsonLd", () => jsonLdScript(homeJsonLd(ref.site)));
  eleventyConfig.addFilter("breadcrumbJsonLd", (crumbs: { label: string; url?: string }[], url: string) =>
    jsonLdScript(breadcrumbJsonLd(ref.site, crumbs, url)),
  );

  const relative = (inputPath: string) => path.relative(options.contentDir, path.resolve(inputPath)).split(path.sep).join("/");

  // Entries use one layout that dispatches on the collection. URLs keep the whole file name
  // (dates included, so yearly items never collide); fixed pages live at the top level.
  eleventyConfig.addGlobalData("layout", "layouts/entry.njk");
  eleventyConfig.addGlobalData("permalink", () => (data: { page: { inputPath: string } }) => entryUrl(relative(data.page.inputPath)));

  // Drafts, and entries outside their publication window, never reach a production build:
  // the file is skipped before it is rendered, so its URL answers with the site's 404.
  eleventyConfig.addPreprocessor("publication", "md", (data: Record<string, unknown>) => {
    if (!includeDrafts && visibilityOf(data, options.now) !== "public") return false;
    return undefined;
  });

  let site: SiteContent | undefined;
  // npm start: entries that did not change since the last rebuild are not validated again.
  const entryCache: EntryCache | undefined = options.mode === "development" ? new BuildMemo() : undefined;
  const dataFileCache = options.mode === "development" ? new DataFileCache() : undefined;
  // npm start: a content problem must not take the site down (Eleventy's incremental rebuilds do
  // not recover from a failed build, and the admin is served by the same server). A file with a
  // problem is shown as it last built, or left out if it never did; every other file as saved.
  // Every page rendered meanwhile carries the problems, and the terminal lists them.
  let lastGood = new Map<string, RawEntry>();
  const buildProblems: string[] = [];
  eleventyConfig.addGlobalData("buildProblems", () => buildProblems);
  const checkedSite = async (entries: RawEntry[]): Promise<SiteContent> => {
    const built = buildSiteContent(entries, ref, { now: options.now, includeDrafts, reservedUrls: RESERVED_URLS, cache: entryCache });
    await checkMedia(built, options.contentDir);
    return built;
  };
  const siteDespiteProblems = async (raw: RawEntry[], error: ContentError): Promise<SiteContent> => {
    const entries = new Map(raw.map((entry) => [entry.inputPath, entry]));
    const reverted = new Set<string>();
    let current = error;
    for (;;) {
      let changed = false;
      for (const file of problemFiles(current.problems)) {
        if (!entries.has(file)) continue;
        const good = lastGood.get(file);
        // Its last good version, once; if that fails too (it refers to what changed since), none.
        if (good && !reverted.has(file)) entries.set(file, good);
        else entries.delete(file);
        reverted.add(file);
        changed = true;
      }
      if (!changed) throw error; // a problem no file can be set aside for
      try {
        return await checkedSite([...entries.values()]);
      } catch (next) {
        if (!(next instanceof ContentError)) throw next;
        current = next;
      }
    }
  };
  eleventyConfig.addCollection("site", async (api: CollectionApi) => {
    const raw: RawEntry[] = api
      .getAll()
      .filter((item) => collectionOf(relative(item.inputPath)) !== undefined)
      .map((item) => ({
        inputPath: relative(item.inputPath),
        url: item.url,
        data: item.data,
        body: String(item.data.page?.rawInput ?? item.rawInput ?? ""),
      }));
    try {
      site = await checkedSite(raw);
      if (options.mode === "development") lastGood = new Map(raw.map((entry) => [entry.inputPath, entry]));
      buildProblems.length = 0;
    } catch (error) {
      if (options.mode !== "development" || !(error instanceof ContentError)) throw error;
      site = await siteDespiteProblems(raw, error);
      buildProblems.splice(0, buildProblems.length, ...error.problems);
      console.error(
        `${describeBuildError(error)}\n問題のあるファイルは直前の正常な内容で表示しています（新しいファイルは表示しません）。直して保存すると更新されます / Files with problems show their last good version (new files are left out) until fixed.`,
      );
    } finally {
      entryCache?.endBuild();
    }
    // Eleventy renders entries in file order; the index takes them in that order too.
    const byFile = site.byInputPath;
    activeSearchIndexer()?.expect(Object.keys(byFile).sort().map((inputPath) => byFile[inputPath]!.url));
    return site;
  });
  // npm start: a save also re-renders the entry pages that show the saved entry, and a deleted
  // entry leaves the lists.
  if (options.mode === "development") addDevRebuildRules(eleventyConfig, { contentDir: options.contentDir, relative, site: () => site });
  // A production build's search index is built while pages render (scripts/build.ts).
  eleventyConfig.addTransform("search-index", function (content: string) {
    const { url, outputPath } = this.page;
    if (typeof url === "string" && typeof outputPath === "string" && outputPath.endsWith(".html")) activeSearchIndexer()?.offer(url, content);
    return content;
  });
  eleventyConfig.addFilter("entry", (inputPath: string) => site?.byInputPath[relative(inputPath)]);

  for (const page of virtualPages()) eleventyConfig.addTemplate(page.path, "", page.data);

  // Images (fields and Markdown bodies alike) become <picture> with AVIF/WebP/original-format
  // variants and width/height; originals (with their EXIF) are never published. Variants are
  // made once per image during validation (checkMedia) and cached across builds in .cache/img.
  eleventyConfig.addFilter("picture", (src: string, attributes: PictureAttributes) => pictureHtml(src, attributes));

  // Assets are content-hashed so hosts can cache them for a year.
  let assets: Assets | undefined;
  eleventyConfig.on("eleventy.before", async () => {
    resetPreparedImages();
    assets = await buildAssets();
  });
  eleventyConfig.addWatchTarget(path.join(ROOT, "src/client"));
  eleventyConfig.addWatchTarget(path.join(ROOT, "admin"));
  // Getters: the URLs change when a rebuild (npm start) changes an asset.
  const assetUrls = {};
  for (const key of ["css", "search", "cms", "cmsLocale"] as const) {
    Object.defineProperty(assetUrls, key, { enumerable: true, get: () => assets?.[key].url ?? "" });
  }
  eleventyConfig.addGlobalData("assets", () => assetUrls);

  // The editing UI at /admin/: Decap vendored from npm (no CDN), config generated from the schema.
  eleventyConfig.addTemplate("_virtual/admin.njk", readFileSync(path.join(ROOT, "admin/index.njk"), "utf8"), {
    permalink: "/admin/",
    layout: false,
    eleventyExcludeFromCollections: true,
  });

  eleventyConfig.on("eleventy.after", ({ directories }: { directories: { output: string } }) => {
    const out = directories.output;
    for (const asset of Object.values(assets ?? {})) writeFile(path.join(out, asset.url), asset.content);
    cpSync(path.join(ROOT, "src/static"), out, { recursive: true });
    vendorDecap(path.join(out, "admin/vendor"));
    copyPreparedImages(out);
    if (site) writeDataFiles(out, site, ref.site, options.now, dataFileCache);
    // Security and cache headers for static hosts that read a _headers file (Cloudflare Pages).
    writeFile(path.join(out, "_headers"), headersFile({ authOrigin: hostingSite(ref).authOrigin }));
    // npm start only: the admin's thumbnails and previews show the uploaded originals. Production
    // and preview builds never publish originals (they may carry GPS data in EXIF).
    if (options.mode === "development" && existsSync(path.join(options.contentDir, "media"))) {
      cpSync(path.join(options.contentDir, "media"), path.join(out, "media"), { recursive: true, force: true });
    }
    for (const file of site ? publishedFiles(site) : []) {
      mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
      cpSync(path.join(options.contentDir, file), path.join(out, file));
    }
    const config = cmsConfig(ref, {
      backend: ref.cms,
      localProxyUrl: localProxy,
      siteUrl: ref.site.url,
      now: options.now,
    });
    // JSON is valid YAML; Decap reads config.yml.
    writeFile(path.join(out, "admin/config.yml"), `${JSON.stringify(config, null, 2)}\n`);
  });

  return { markdownTemplateEngine: false, htmlTemplateEngine: "njk" };
}
