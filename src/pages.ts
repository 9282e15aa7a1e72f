/**
 * Pages that are not entries: the home page, lists, indexes and machine-readable files. They are
 * Eleventy virtual templates whose markup lives in src/templates/pages/, so the content folder
 * holds nothing but editors' Markdown.
 */
export interface VirtualPage {
  path: string;
  data: Record<string, unknown>;
}

// eleventyImport: in incremental rebuilds (npm start), Eleventy renders these again whenever an
// entry changes, so lists and the home page never show stale titles. Entry pages cannot import it
// (src/build/dev-rebuild.ts re-renders the ones that show the saved entry).
const page = (name: string, permalink: string, extra: Record<string, unknown> = {}): VirtualPage => ({
  path: `_virtual/${name}.njk`,
  data: { layout: `pages/${name}.njk`, permalink, eleventyExcludeFromCollections: true, eleventyImport: { collections: ["site"] }, ...extra },
});

const list = (name: string, source: string): VirtualPage => ({
  path: `_virtual/${name}.njk`,
  data: {
    layout: `pages/${name}.njk`,
    pagination: { data: `collections.site.${source}`, size: 1, alias: "listPage" },
    permalink: "{{ listPage.url }}",
    eleventyExcludeFromCollections: true,
    eleventyImport: { collections: ["site"] },
  },
});

export function virtualPages(): VirtualPage[] {
  return [
    page("home", "/"),
    list("news-list", "newsListPages"),
    list("event-list", "eventListPages"),
    page("labs-by-region", "/labs/"),
    page("labs-by-round", "/labs/rounds/"),
    page("labs-by-theme", "/labs/themes/"),
    page("search", "/search/"),
    page("sitemap", "/sitemap/"),
    page("not-found", "/404.html"),
    page("sitemap-xml", "/sitemap.xml"),
    page("robots", "/robots.txt"),
    page("news-feed", "/news/feed.xml"),
    page("events-feed", "/events/feed.xml"),
  ];
}

/** URLs of built-in pages that an entry's file name must not collide with. */
export const RESERVED_URLS = ["/", "/labs/rounds/", "/labs/themes/", "/search/", "/sitemap/", "/news/category/", "/events/past/"];
