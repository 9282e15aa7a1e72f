import { LinkChecker, LinkState } from "linkinator";

export interface BrokenLink {
  url: string;
  page: string;
  status: number | undefined;
}

/**
 * Crawls the built site from its root on a local server (no network): every internal link,
 * image, stylesheet and #fragment must resolve. External links are left to the nightly check.
 */
export async function checkInternalLinks(dir: string): Promise<BrokenLink[]> {
  const checker = new LinkChecker();
  const result = await checker.check({
    path: dir,
    recurse: true,
    checkFragments: true,
    checkCss: true,
    concurrency: 50,
    linksToSkip: async (link: string) => !/^https?:\/\/(localhost|127\.0\.0\.1)[:/]/.test(link),
  });
  // linkinator reports URLs of its local server or file paths under the folder; show site paths.
  const base = (url: string | undefined) => {
    if (!url) return "";
    let pathname = url;
    let hash = "";
    if (/^https?:/.test(url)) {
      const u = new URL(url);
      pathname = decodeURI(u.pathname);
      hash = u.hash;
    }
    return (pathname.startsWith(dir) ? pathname.slice(dir.length) || "/" : pathname) + hash;
  };
  return result.links
    .filter((l) => l.state === LinkState.BROKEN)
    .map((l) => ({ url: base(l.url), page: base(l.parent), status: l.status }));
}
