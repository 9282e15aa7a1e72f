import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { DateTime } from "luxon";
import { ROOT } from "../../src/options.ts";

const require = createRequire(import.meta.url);

/**
 * Records the automated accessibility result that /accessibility/ publishes. Written by the axe
 * test over every page; CI runs the tests before each deploy, so the published result is current.
 */
export function writeAccessibilityReport(results: { width: number; pages: number; violations: number }[]): void {
  const axeVersion = (JSON.parse(readFileSync(require.resolve("axe-core/package.json"), "utf8")) as { version: string }).version;
  const report = {
    testedOn: DateTime.now().setZone("Asia/Tokyo").toISODate(),
    standard: "JIS X 8341-3:2016 適合レベルAA（WCAG 2.2 AA の達成基準で自動試験）",
    tool: `axe-core ${axeVersion}（Chromium）`,
    pages: results[0]!.pages,
    viewports: results.map((r) => r.width),
    pagesWithViolations: Math.max(...results.map((r) => r.violations)),
  };
  writeFileSync(path.join(ROOT, "_data/accessibilityReport.json"), `${JSON.stringify(report, null, 2)}\n`);
}
