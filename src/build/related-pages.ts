/**
 * npm start: the entry pages that show a saved entry besides its own page. Eleventy's incremental
 * rebuild re-renders the saved file and the pages that import the `site` collection (lists, home
 * page, feeds). Entry pages cannot import it (they would drop out of the collection they are read
 * into), so this names the rest: a lab's page lists its news and events, and news and event pages
 * show the names of their labs.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { labsOfEntry, parseFrontMatter } from "../access/permissions.ts";
import { collectionOf, type SiteContent } from "../content/site.ts";

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
