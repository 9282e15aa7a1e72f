import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { inject } from "vitest";

/** The built sample site (see global-setup). */
export const siteDir = () => inject("siteDir");

/** Reads a built page by URL path, as a visitor would request it. */
export function readPage(url: string, dir = siteDir()): string {
  const file = url.endsWith("/") ? path.join(dir, url, "index.html") : path.join(dir, url);
  return readFileSync(file, "utf8");
}

export function pageExists(url: string, dir = siteDir()): boolean {
  return existsSync(url.endsWith("/") ? path.join(dir, url, "index.html") : path.join(dir, url));
}

/** The visible text of elements matching a simple class selector, in document order. */
export function textsOf(html: string, className: string): string[] {
  const re = new RegExp(`<([a-z0-9]+)[^>]*class="[^"]*\\b${className}\\b[^"]*"[^>]*>([\\s\\S]*?)</\\1>`, "g");
  return [...html.matchAll(re)].map((m) => m[2]!.replace(/<[^>]+>/g, "").replace(/\s+/g, " ").trim());
}
