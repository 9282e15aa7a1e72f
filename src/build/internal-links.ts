import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { Parser } from "htmlparser2";

export interface BrokenLink {
  url: string;
  page: string;
  status: number | undefined;
}

/** Attributes that make the browser fetch or navigate to a URL. */
const URL_ATTRIBUTES: Record<string, string[]> = {
  a: ["href"],
  link: ["href"],
  img: ["src", "srcset"],
  source: ["src", "srcset"],
  script: ["src"],
  iframe: ["src"],
  form: ["action"],
};

interface Page {
  url: string;
  ids: Set<string>;
  refs: string[];
}

function parsePage(html: string, url: string): Page {
  const page: Page = { url, ids: new Set(), refs: [] };
  const parser = new Parser({
    onopentag(name, attrs) {
      if (attrs.id) page.ids.add(attrs.id);
      for (const attr of URL_ATTRIBUTES[name] ?? []) {
        const value = attrs[attr];
        if (!value) continue;
        if (attr === "srcset") for (const part of value.split(",")) page.refs.push(part.trim().split(/\s+/)[0]!);
        else page.refs.push(value);
      }
    },
  });
  parser.write(html);
  parser.end();
  return page;
}

/**
 * Checks every internal link, image, stylesheet, script and #fragment of the built site against
 * the files on disk (no server, no network): a static host serves exactly these files. External
 * links are left to the nightly check; absolute links to the site's own host count as internal.
 */
export function checkInternalLinks(dir: string, siteUrl?: string): BrokenLink[] {
  const pages = new Map<string, Page>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".html")) continue;
    const rel = path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/");
    const url = `/${rel.replace(/(^|\/)index\.html$/, "$1")}`;
    pages.set(url, parsePage(readFileSync(path.join(entry.parentPath, entry.name), "utf8"), url));
  }
  const ownOrigin = siteUrl ? new URL(siteUrl).origin : undefined;
  const broken: BrokenLink[] = [];
  const known = new Map<string, string | undefined>();
  const fileExists = (pathname: string): string | undefined => {
    if (known.has(pathname)) return known.get(pathname);
    const found = lookup(pathname);
    known.set(pathname, found);
    return found;
  };
  const lookup = (pathname: string): string | undefined => {
    const file = path.join(dir, decodeURIComponent(pathname));
    if (!file.startsWith(dir)) return undefined;
    if (pathname.endsWith("/")) return existsSync(path.join(file, "index.html")) ? `${pathname}` : undefined;
    if (existsSync(file)) return statSync(file).isDirectory() ? (existsSync(path.join(file, "index.html")) ? `${pathname}/` : undefined) : pathname;
    return undefined;
  };
  for (const page of pages.values()) {
    for (const ref of page.refs) {
      if (/^(mailto|tel|data|javascript):/i.test(ref)) continue;
      let target: URL;
      try {
        target = new URL(ref, `http://internal${page.url}`);
      } catch {
        broken.push({ url: ref, page: page.url, status: undefined });
        continue;
      }
      const internal = target.origin === "http://internal" || (ownOrigin !== undefined && target.origin === ownOrigin);
      if (!internal) continue;
      const found = fileExists(target.pathname);
      if (!found) {
        broken.push({ url: target.pathname + target.hash, page: page.url, status: 404 });
        continue;
      }
      const fragment = decodeURIComponent(target.hash.slice(1));
      if (fragment && found.endsWith("/") && !pages.get(found)?.ids.has(fragment)) {
        broken.push({ url: target.pathname + target.hash, page: page.url, status: 404 });
      }
    }
  }
  return broken;
}
