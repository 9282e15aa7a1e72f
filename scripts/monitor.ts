/**
 * Checks the live site (top page, labs, search index, admin) and reports; exits 1 when something
 * is down or slow. The monitoring workflow runs it every 15 minutes with --github-issue.
 *
 *   node scripts/monitor.ts [--base-url URL] [--timeout MS] [--slow MS] [--retries N]
 *                           [--skip ID ...] [--report FILE] [--github-issue]
 *
 * --base-url defaults to site.url in _data/site.json; --report to .tmp/monitor-report.md.
 * Check ids for --skip: top, labs, search, admin.
 * --github-issue opens/comments/closes the `monitoring` issue (needs GITHUB_REPOSITORY,
 * GITHUB_TOKEN; GITHUB_API_URL defaults to https://api.github.com).
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { defaultChecks, exitCodeOf, githubTargetFromEnv, markdownReport, MONITOR_DEFAULTS, runChecks, syncIssue, textReport } from "../src/ops/monitor.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function wholeNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number: ${value}`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      "base-url": { type: "string" },
      timeout: { type: "string" },
      slow: { type: "string" },
      retries: { type: "string" },
      "retry-delay": { type: "string" },
      skip: { type: "string", multiple: true },
      report: { type: "string", default: path.join(ROOT, ".tmp/monitor-report.md") },
      "github-issue": { type: "boolean" },
    },
  });
  const site = JSON.parse(readFileSync(path.join(ROOT, "_data/site.json"), "utf8")) as { name: string; url: string };
  const checks = defaultChecks(site.name).filter((c) => !(values.skip ?? []).includes(c.id));
  const report = await runChecks({
    baseUrl: values["base-url"] ?? site.url,
    checks,
    timeoutMs: wholeNumber("timeout", values.timeout, MONITOR_DEFAULTS.timeoutMs),
    slowMs: wholeNumber("slow", values.slow, MONITOR_DEFAULTS.slowMs),
    retries: wholeNumber("retries", values.retries, MONITOR_DEFAULTS.retries),
    retryDelayMs: wholeNumber("retry-delay", values["retry-delay"], MONITOR_DEFAULTS.retryDelayMs),
  });

  console.log(textReport(report));
  const markdown = markdownReport(report);
  mkdirSync(path.dirname(path.resolve(values.report!)), { recursive: true });
  writeFileSync(values.report!, markdown);
  // The run's summary page in GitHub Actions.
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdown);

  if (values["github-issue"]) {
    const result = await syncIssue(githubTargetFromEnv(), report);
    if (result.action !== "none") console.log(`monitoring issue #${result.issue}: ${result.action}`);
  }
  return exitCodeOf(report);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  },
);
