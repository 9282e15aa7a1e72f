/**
 * Nightly external link check of a built site (see docs/operations/link-check.md).
 *
 *   node scripts/check-external-links.ts [--site _site] [--state FILE] [--report FILE]
 *        [--skip ops/linkcheck-skip.txt] [--site-origin URL ...] [--github-issue] [--now ISO]
 *        [--timeout MS] [--per-host N] [--hosts N] [--retries N]
 *
 * Broken links are a report, not a failure: exit 0. Exit 1 only when the check itself failed
 * (no site, bad skip list or state file, GitHub API error), 2 for bad arguments.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "../src/options.ts";
import {
  CHECK_DEFAULTS,
  checkExternalLinks,
  describeFailure,
  gitHubConfigFromEnv,
  readSkipList,
  readState,
  renderReport,
  syncIssue,
  updateState,
  writeState,
} from "../src/ops/external-links.ts";

function siteOriginFromData(): string[] {
  try {
    const site = JSON.parse(readFileSync(path.join(ROOT, "_data/site.json"), "utf8")) as { url?: string };
    return site.url ? [site.url] : [];
  } catch {
    return [];
  }
}

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} には 0 以上の整数を指定してください / --${name} must be a non-negative integer`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      site: { type: "string", default: path.join(ROOT, "_site") },
      state: { type: "string", default: path.join(ROOT, ".cache/linkcheck-state.json") },
      report: { type: "string", default: "linkcheck-report.md" },
      skip: { type: "string", default: path.join(ROOT, "ops/linkcheck-skip.txt") },
      "site-origin": { type: "string", multiple: true },
      "github-issue": { type: "boolean", default: false },
      label: { type: "string", default: "link-check" },
      now: { type: "string" },
      timeout: { type: "string" },
      "per-host": { type: "string" },
      hosts: { type: "string" },
      retries: { type: "string" },
      "user-agent": { type: "string" },
    },
  });
  const now = values.now ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(now))) {
    console.error(`--now は ISO 日時で指定してください / --now must be an ISO date-time: ${now}`);
    process.exit(2);
  }
  const siteOrigins = values["site-origin"] ?? siteOriginFromData();
  // Read everything that can be wrong before spending minutes on the network.
  const skip = readSkipList(values.skip!);
  const previous = readState(values.state!);
  const github = values["github-issue"] ? gitHubConfigFromEnv(process.env, values.label!) : undefined;

  const run = await checkExternalLinks(values.site!, {
    siteOrigins,
    skip,
    timeoutMs: int(values.timeout, CHECK_DEFAULTS.timeoutMs, "timeout"),
    perHost: Math.max(1, int(values["per-host"], CHECK_DEFAULTS.perHost, "per-host")),
    hosts: Math.max(1, int(values.hosts, CHECK_DEFAULTS.hosts, "hosts")),
    retries: int(values.retries, CHECK_DEFAULTS.retries, "retries"),
    userAgent: values["user-agent"],
    onRetry: (r) => console.error(`再試行 / retry in ${r.secondsUntilRetry} s (${r.status}): ${r.url}`),
    onHostDone: (host, outcomes) => {
      const bad = outcomes.filter((o) => o.state === "broken").length;
      console.error(`${host}: ${outcomes.length} links${bad ? `, ${bad} broken` : ""}`);
    },
  });
  const summary = updateState(previous, run, now);
  const report = renderReport(summary, { siteOrigin: siteOrigins[0], skipFile: path.relative(ROOT, values.skip!) || values.skip });
  writeFileSync(values.report!, report);
  writeState(values.state!, summary.state);

  for (const e of summary.entries) console.log(`${describeFailure(e.failure)}  ${e.url}  (${e.pages.length} pages)`);
  console.log(
    `外部リンク ${run.links} 件を検査: リンク切れ ${summary.entries.length} 件、復旧 ${summary.recovered.length} 件 → ${values.report}` +
      ` / checked ${run.links} external links: ${summary.entries.length} broken, ${summary.recovered.length} recovered`,
  );

  if (github) {
    const result = await syncIssue(github, {
      brokenCount: summary.entries.length,
      newlyBroken: summary.entries.filter((e) => e.isNew).map((e) => e.url),
      report,
    });
    if (result.number) console.log(`GitHub issue #${result.number}: ${result.action}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await main();
  } catch (error) {
    console.error(`外部リンク検査を実行できませんでした / link check failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
