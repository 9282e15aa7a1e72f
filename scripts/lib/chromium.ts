/**
 * How every tool here starts Chromium: the system browser (no downloaded builds), headless,
 * with the background services that would try to reach the network switched off.
 * CHROME_PATH points elsewhere on a laptop or in GitHub Actions.
 */
export const CHROME_PATH = process.env.CHROME_PATH ?? "/usr/bin/chromium";

export const CHROME_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
