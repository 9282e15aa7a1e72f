/**
 * Monitoring of the live site: a few URLs that together prove the site, its search index and the
 * admin are served; each must answer 200 with an expected piece of content, within a time limit.
 * When run in GitHub Actions it keeps ONE open issue labelled `monitoring` while the site is down.
 *
 * No npm dependencies (fetch, Intl), so the monitoring workflow runs without `npm ci`.
 */
import { ensureLabel, githubJson } from "./github-api.ts";

export interface Check {
  /** Stable id, used by --skip. */
  id: string;
  name: string;
  /** Path on the site, e.g. "/labs/". */
  path: string;
  /** Text the response body must contain (proves it is our page, not an error page served as 200). */
  marker: string;
}

export type Outcome = "ok" | "slow" | "down";

export interface CheckResult extends Check {
  url: string;
  outcome: Outcome;
  status?: number;
  ms: number;
  /** Why it is down or slow, in Japanese and English. */
  reason?: string;
  attempts: number;
}

export interface MonitorReport {
  baseUrl: string;
  checkedAt: Date;
  timeoutMs: number;
  slowMs: number;
  results: CheckResult[];
}

export interface MonitorOptions {
  baseUrl: string;
  checks: Check[];
  /** A check that has not answered (body included) by then is down. */
  timeoutMs?: number;
  /** A check answering after this many ms is slow. */
  slowMs?: number;
  /** Extra attempts for a check that is down, so one dropped connection does not page anyone. */
  retries?: number;
  retryDelayMs?: number;
  now?: () => Date;
}

export const MONITOR_DEFAULTS = { timeoutMs: 10_000, slowMs: 3_000, retries: 1, retryDelayMs: 2_000 } as const;

/** What the monitor checks on the live site: the top page, a lab page, the search index and the admin. */
export function defaultChecks(siteName: string): Check[] {
  return [
    { id: "top", name: "トップページ / top page", path: "/", marker: siteName },
    { id: "labs", name: "地方版ラボ一覧 / labs", path: "/labs/", marker: "地方版ラボ一覧" },
    { id: "search", name: "検索インデックス / search index", path: "/pagefind/pagefind-entry.json", marker: '"languages"' },
    { id: "admin", name: "編集画面 / admin", path: "/admin/", marker: "decap-cms.js" },
  ];
}

async function attempt(check: Check, url: string, timeoutMs: number, slowMs: number): Promise<Omit<CheckResult, keyof Check | "url" | "attempts">> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    // The whole answer, body included, must arrive within the timeout.
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { "user-agent": "iot-lab-portal-monitor", "cache-control": "no-cache" } });
    const body = await res.text();
    const elapsed = ms();
    if (res.status !== 200) return { outcome: "down", status: res.status, ms: elapsed, reason: `HTTP ${res.status}` };
    if (!body.includes(check.marker)) {
      return { outcome: "down", status: res.status, ms: elapsed, reason: `内容が想定と異なります（「${check.marker}」がありません） / expected content missing: "${check.marker}"` };
    }
    if (elapsed > slowMs) return { outcome: "slow", status: res.status, ms: elapsed, reason: `応答が遅い（${elapsed}ms > ${slowMs}ms） / slow: ${elapsed} ms > ${slowMs} ms` };
    return { outcome: "ok", status: res.status, ms: elapsed };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    if (e.name === "TimeoutError" || e.name === "AbortError") {
      return { outcome: "down", ms: ms(), reason: `タイムアウト（${timeoutMs}ms 以内に応答なし） / timed out after ${timeoutMs} ms` };
    }
    const detail = e.cause?.code ?? e.cause?.message ?? e.message;
    return { outcome: "down", ms: ms(), reason: `接続できません（${detail}） / cannot connect: ${detail}` };
  }
}

export async function runChecks(options: MonitorOptions): Promise<MonitorReport> {
  const { timeoutMs, slowMs, retries, retryDelayMs } = { ...MONITOR_DEFAULTS, ...options };
  const checkedAt = (options.now ?? (() => new Date()))();
  const results = await Promise.all(
    options.checks.map(async (check): Promise<CheckResult> => {
      const url = new URL(check.path, options.baseUrl).toString();
      let result = await attempt(check, url, timeoutMs, slowMs);
      let attempts = 1;
      while (result.outcome === "down" && attempts <= retries) {
        await new Promise((r) => setTimeout(r, retryDelayMs));
        result = await attempt(check, url, timeoutMs, slowMs);
        attempts++;
      }
      return { ...check, url, attempts, ...result };
    }),
  );
  return { baseUrl: options.baseUrl, checkedAt, timeoutMs, slowMs, results };
}

export const downChecks = (report: MonitorReport) => report.results.filter((r) => r.outcome === "down");
export const slowChecks = (report: MonitorReport) => report.results.filter((r) => r.outcome === "slow");

/** 0 when every check is ok; 1 when something is down or slow. */
export const exitCodeOf = (report: MonitorReport) => (report.results.every((r) => r.outcome === "ok") ? 0 : 1);

/** 2026-11-26 10:00:00 JST */
export function tokyoTime(date: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Tokyo", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} JST`;
}

const LABEL: Record<Outcome, string> = { ok: "正常 / OK", slow: "遅延 / SLOW", down: "停止 / DOWN" };
const ICON: Record<Outcome, string> = { ok: "✅", slow: "⚠️", down: "❌" };

export function summaryLine(report: MonitorReport): string {
  const down = downChecks(report).length;
  const slow = slowChecks(report).length;
  if (down === 0 && slow === 0) return `すべて正常（${report.results.length} 件） / all ${report.results.length} checks OK`;
  return [down && `停止 ${down} 件 / ${down} down`, slow && `遅延 ${slow} 件 / ${slow} slow`].filter(Boolean).join("、");
}

/** For the console (and the Actions log). */
export function textReport(report: MonitorReport): string {
  const lines = [`サイト監視 / Site monitoring ${report.baseUrl} at ${tokyoTime(report.checkedAt)}: ${summaryLine(report)}`];
  for (const r of report.results) {
    const status = r.status === undefined ? "---" : String(r.status);
    lines.push(`  ${LABEL[r.outcome].padEnd(12)} ${status} ${String(r.ms).padStart(6)} ms  ${r.url}${r.reason ? `  ${r.reason}` : ""}${r.attempts > 1 ? `  (${r.attempts} attempts)` : ""}`);
  }
  return lines.join("\n");
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** For the report file, the Actions step summary and the monitoring issue. */
export function markdownReport(report: MonitorReport): string {
  const rows = report.results.map(
    (r) =>
      `| ${cell(r.name)} | ${r.url} | ${ICON[r.outcome]} ${LABEL[r.outcome]} | ${r.status ?? "—"} | ${r.ms} ms | ${cell(r.reason ?? "")}${r.attempts > 1 ? ` (${r.attempts} 回試行 / attempts)` : ""} |`,
  );
  return [
    `### サイト監視 / Site monitoring: ${summaryLine(report)}`,
    "",
    `- 対象 / site: ${report.baseUrl}`,
    `- 日時 / checked at: ${tokyoTime(report.checkedAt)}`,
    `- 基準 / limits: 200 と内容の確認、${report.slowMs} ms 超は遅延、${report.timeoutMs} ms で打ち切り / status 200 and content, slow over ${report.slowMs} ms, timeout ${report.timeoutMs} ms`,
    "",
    "| 確認項目 / check | URL | 結果 / result | HTTP | 応答時間 / time | 詳細 / detail |",
    "|---|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// GitHub issue: one open issue labelled `monitoring` while something is down.

export const MONITORING_LABEL = "monitoring";

export interface GitHubTarget {
  /** e.g. https://api.github.com (GITHUB_API_URL) */
  apiUrl: string;
  /** owner/name (GITHUB_REPOSITORY) */
  repository: string;
  token: string;
  /** Link to the workflow run, added to issue comments. */
  runUrl?: string;
}

export function githubTargetFromEnv(env: NodeJS.ProcessEnv = process.env): GitHubTarget {
  const missing = ["GITHUB_REPOSITORY", "GITHUB_TOKEN"].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(`--github-issue には環境変数 ${missing.join(", ")} が必要です（GitHub Actions で実行してください） / --github-issue needs ${missing.join(", ")} (run it in GitHub Actions)`);
  }
  const runUrl = env.GITHUB_SERVER_URL && env.GITHUB_RUN_ID ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
  return { apiUrl: env.GITHUB_API_URL ?? "https://api.github.com", repository: env.GITHUB_REPOSITORY!, token: env.GITHUB_TOKEN!, runUrl };
}

interface Issue {
  number: number;
  html_url?: string;
  pull_request?: unknown;
}

/** The open monitoring issue, if any (the oldest, should people have opened more). */
async function openIssue(target: GitHubTarget): Promise<Issue | undefined> {
  const issues = await githubJson<Issue[]>(target, "GET", `/issues?state=open&labels=${MONITORING_LABEL}&sort=created&direction=asc&per_page=100`);
  return issues.filter((i) => !i.pull_request).sort((a, b) => a.number - b.number)[0];
}

const ISSUE_LABEL = { name: MONITORING_LABEL, color: "d73a4a", description: "サイト監視が検知した停止 / site down, opened by the monitor" };

const RUNBOOK = "対応手順 / runbook: docs/operations/monitoring.md";

export type IssueAction = { action: "opened" | "commented" | "closed" | "none"; issue?: number };

/** Opens, comments on or closes the monitoring issue according to the report. */
export async function syncIssue(target: GitHubTarget, report: MonitorReport): Promise<IssueAction> {
  const down = downChecks(report).length > 0;
  const existing = await openIssue(target);
  const run = target.runUrl ? `\n実行記録 / workflow run: ${target.runUrl}\n` : "";
  if (down && !existing) {
    await ensureLabel(target, ISSUE_LABEL);
    const created = await githubJson<Issue>(target, "POST", "/issues", {
      title: `サイト監視: 停止を検知 / Site monitoring: ${report.baseUrl} is down`,
      body: `${markdownReport(report)}${run}\n${RUNBOOK}\n\nこの issue は監視が自動で開き、復旧すると自動で閉じます。 / Opened by the monitor; it closes itself when the site recovers.\n`,
      labels: [MONITORING_LABEL],
    });
    return { action: "opened", issue: created.number };
  }
  if (down && existing) {
    await githubJson(target, "POST", `/issues/${existing.number}/comments`, { body: `まだ停止しています / still down.\n\n${markdownReport(report)}${run}` });
    return { action: "commented", issue: existing.number };
  }
  if (!down && existing) {
    await githubJson(target, "POST", `/issues/${existing.number}/comments`, { body: `復旧しました / recovered.\n\n${markdownReport(report)}${run}` });
    await githubJson(target, "PATCH", `/issues/${existing.number}`, { state: "closed", state_reason: "completed" });
    return { action: "closed", issue: existing.number };
  }
  return { action: "none" };
}
