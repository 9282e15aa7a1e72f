/**
 * npm start's rebuild rules, beyond what Eleventy's incremental builds know:
 * - the entry pages that show a saved entry. Eleventy re-renders the saved file and the pages
 *   that import the `site` collection (lists, home page, feeds). Entry pages cannot import it
 *   (they would drop out of the collection they are read into), so this names the rest: a lab's
 *   page lists its news and events, and news and event pages show the names of their labs;
 * - deleted files. Eleventy 3.1.8 only logs them, so a deleted entry stayed in every list.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, watch, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { labsOfEntry, parseFrontMatter } from "../access/permissions.ts";
import { collectionOf, entryUrl, type SiteContent } from "../content/site.ts";
import type { EleventyConfig, IncrementalMatchContext } from "../types/eleventy.ts";

/**
 * Input paths (relative to the content folder) of the entry pages related to `changed`, judged by
 * the last built content and, for the labs the file names now, by the saved file itself: a news
 * item moved from one lab to another changes both labs' pages.
 */
export function relatedEntryPaths(site: SiteContent, changed: string, labsNow: readonly string[]): string[] {
  const collection = collectionOf(changed);
  const before = site.byInputPath[changed];
  if (collection === "news" || collection === "events") {
    const ids = new Set(labsNow);
    if (before?.kind === "news") for (const lab of before.labs) ids.add(lab.id);
    if (before?.kind === "events") ids.add(before.organizer.id);
    return site.labs.filter((lab) => ids.has(lab.id)).map((lab) => lab.inputPath);
  }
  if (collection === "labs") {
    const ids = new Set(labsNow);
    if (before?.kind === "labs") ids.add(before.id);
    return [
      ...site.news.filter((item) => item.labs.some((lab) => ids.has(lab.id))),
      ...site.events.filter((item) => ids.has(item.organizer.id)),
    ].map((item) => item.inputPath);
  }
  return [];
}

/** The lab ids a Markdown entry on disk names (none when it is unreadable or broken). */
export function labsInFile(contentDir: string, inputPath: string): string[] {
  const collection = collectionOf(inputPath);
  if (!collection) return [];
  let text: string;
  try {
    text = readFileSync(path.join(contentDir, inputPath), "utf8");
  } catch {
    return []; // deleted
  }
  const parsed = parseFrontMatter(text);
  if (!parsed.ok) return [];
  const slug = path.basename(inputPath, path.extname(inputPath));
  return labsOfEntry(collection, slug, parsed.data) ?? [];
}

export interface DevRebuildOptions {
  contentDir: string;
  /** A path as Eleventy gives it → relative to the content folder ("news/x.md"). */
  relative: (inputPath: string) => string;
  /** The content of the last build. */
  site: () => SiteContent | undefined;
}

// One watcher per process: Eleventy evaluates the config again when it changes.
let deletionWatcherStarted = false;
const deleted = new Set<string>();

export function addDevRebuildRules(eleventyConfig: EleventyConfig, options: DevRebuildOptions): void {
  // Eleventy asks each Markdown template whether the changed file concerns it; overriding "md"
  // without `compile` keeps its own Markdown engine.
  const related = new Map<string, Set<string>>();
  // Asked twice per template per save: 8,000 path conversions at 4,000 entries without this.
  const contentPaths = new Map<string, string>();
  eleventyConfig.on("eleventy.before", () => related.clear());
  eleventyConfig.addExtension("md", {
    isIncrementalMatch(this: IncrementalMatchContext, changedFile: string) {
      // Eleventy's own rule first (what it does when no extension answers).
      if (this.isFileRelevantToInputPath || (!this.doesFileHaveDependencies && !this.isFullTemplate)) return true;
      const changed = options.relative(changedFile);
      let paths = related.get(changed);
      if (!paths) {
        const site = options.site();
        paths = new Set(site ? relatedEntryPaths(site, changed, labsInFile(options.contentDir, changed)) : []);
        related.set(changed, paths);
      }
      let own = contentPaths.get(this.inputPath);
      if (own === undefined) contentPaths.set(this.inputPath, (own = options.relative(this.inputPath)));
      return paths.has(own);
    },
  });

  // Deleted entries: Eleventy takes the file out of its list but builds nothing, so a marker file
  // that it watches is rewritten, which rebuilds every page (no template depends on the marker);
  // the deleted entry's own page is removed from the output. The marker lives outside the
  // project (Eleventy does not watch git-ignored paths), one per content folder, reused by every
  // npm start on it (the process is stopped by a signal, so it could not clean up after itself).
  const marker = path.join(os.tmpdir(), `iotlab-dev-deleted-${createHash("sha256").update(options.contentDir).digest("hex").slice(0, 16)}.txt`);
  eleventyConfig.addWatchTarget(marker);
  if (!deletionWatcherStarted) {
    deletionWatcherStarted = true;
    writeFileSync(marker, "");
    watch(options.contentDir, { recursive: true }, (event, name) => {
      if (event !== "rename" || !name?.endsWith(".md") || existsSync(path.join(options.contentDir, name))) return;
      const file = name.split(path.sep).join("/");
      if (!collectionOf(file)) return;
      deleted.add(file);
      // After Eleventy's watcher has taken the file out of its list: chokidar reports a deletion
      // only when the file has not come back within 100 ms (an editor's atomic save).
      setTimeout(() => writeFileSync(marker, file), 300).unref();
    }).unref();
  }
  eleventyConfig.on("eleventy.after", ({ directories }: { directories: { output: string } }) => {
    for (const file of deleted) {
      if (!existsSync(path.join(options.contentDir, file))) rmSync(path.join(directories.output, entryUrl(file)), { recursive: true, force: true });
    }
    deleted.clear();
  });
}
