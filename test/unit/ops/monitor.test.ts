/**
 * The monitor against a local stand-in for the live site (healthy, failing, slow, hanging pages)
 * and a local fake of GitHub's issues API.
 */
import { execFile } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { defaultChecks, exitCodeOf, markdownReport, runChecks, syncIssue, textReport, type Check, type GitHubTarget } from "../../../src/ops/monitor.ts";
import { ROOT } from "../../../src/options.ts";
import { tempDir } from "../../helpers/build.ts";

const run = promisify(execFile);
const SITE_NAME = "地方版IoT推進ラボ";
const NOW = new Date("2026-11-26T01:00:00Z");

// --- the stand-in for the live site -----------------------------------------------------------

/** "up": every default check passes; "down": the labs page answers 500. */
let siteState: "up" | "down" = "up";
let flakyRequests = 0;

const pages: Record<string, (res: http.ServerResponse) => void> = {
  "/": (res) => res.end(`<title>${SITE_NAME}</title>`),
  "/labs/": (res) => {
    if (siteState === "down") {
      res.writeHead(500).end("Internal Server Error");
    } else res.end("<h1>地方版ラボ一覧</h1>");
  },
  "/pagefind/pagefind-entry.json": (res) => res.end('{"version":"1.6.0","languages":{"ja":{}}}'),
  "/admin/": (res) => res.end('<script src="/admin/vendor/decap-cms.js"></script>'),
  "/broken/": (res) => res.writeHead(500).end("oops"),
  "/soft-404/": (res) => res.end("<h1>お探しのページが見つかりません</h1>"),
  "/slow/": (res) => setTimeout(() => res.end(SITE_NAME), 400),
  "/hang/": () => undefined,
  "/flaky/": (res) => (++flakyRequests === 1 ? res.writeHead(503).end() : res.end(SITE_NAME)),
};

const siteServer = http.createServer((req, res) => {
  const handler = pages[new URL(req.url ?? "/", "http://x").pathname];
  if (handler) handler(res);
  else res.writeHead(404).end();
});

// --- the fake GitHub issues API --------------------------------------------------------------

interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  labels: string[];
  comments: string[];
  pull_request?: object;
}

const REPO = "ipa-iot-lab/iot-lab-portal";
const TOKEN = "test-token";
let issues: FakeIssue[] = [];
let labels: string[] = [];
let calls: string[] = [];

const githubServer = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://x");
  calls.push(`${req.method} ${url.pathname}`);
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : undefined;
  const json = (status: number, data: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(data));
  if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(401, { message: "Bad credentials" });
  const base = `/repos/${REPO}`;
  const p = url.pathname;
  const view = (i: FakeIssue) => ({ number: i.number, title: i.title, state: i.state, labels: i.labels.map((name) => ({ name })), ...(i.pull_request ? { pull_request: i.pull_request } : {}) });
  if (req.method === "GET" && p === `${base}/issues`) {
    const label = url.searchParams.get("labels");
    const state = url.searchParams.get("state");
    return json(200, issues.filter((i) => i.state === state && (!label || i.labels.includes(label))).map(view));
  }
  if (req.method === "GET" && p.startsWith(`${base}/labels/`)) {
    const name = decodeURIComponent(p.slice(`${base}/labels/`.length));
    return labels.includes(name) ? json(200, { name }) : json(404, { message: "Not Found" });
  }
  if (req.method === "POST" && p === `${base}/labels`) {
    labels.push(body.name);
    return json(201, { name: body.name });
  }
  if (req.method === "POST" && p === `${base}/issues`) {
    // Like GitHub for some tokens: labels that do not exist are dropped silently.
    const issue: FakeIssue = { number: issues.length + 1, title: body.title, body: body.body, state: "open", labels: body.labels.filter((l: string) => labels.includes(l)), comments: [] };
    issues.push(issue);
    return json(201, view(issue));
  }
  const m = p.match(new RegExp(`^${base}/issues/(\\d+)(/comments)?$`));
  const issue = m && issues.find((i) => i.number === Number(m[1]));
  if (issue && req.method === "POST" && m[2]) {
    issue.comments.push(body.body);
    return json(201, { id: issue.comments.length });
  }
  if (issue && req.method === "PATCH" && !m[2]) {
    issue.state = body.state;
    return json(200, view(issue));
  }
  json(404, { message: "Not Found" });
});

let siteUrl = "";
let target: GitHubTarget;

const listen = async (server: http.Server) => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  siteUrl = await listen(siteServer);
  target = { apiUrl: await listen(githubServer), repository: REPO, token: TOKEN, runUrl: "https://github.example/run/1" };
});

afterAll(async () => {
  for (const server of [siteServer, githubServer]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

beforeEach(() => {
  siteState = "up";
  flakyRequests = 0;
  issues = [];
  labels = [];
  calls = [];
});

const check = (id: string, p: string, marker = SITE_NAME): Check => ({ id, name: id, path: p, marker });
const fast = { timeoutMs: 250, slowMs: 200, retries: 0, retryDelayMs: 10, now: () => NOW };

describe("runChecks", () => {
  it("tells ok, failing, wrong-content, slow and hanging pages apart", async () => {
    const report = await runChecks({
      ...fast,
      timeoutMs: 1000,
      baseUrl: siteUrl,
      checks: [check("top", "/"), check("broken", "/broken/"), check("soft404", "/soft-404/"), check("slow", "/slow/"), check("hang", "/hang/"), check("gone", "/gone/")],
    });
    const byId = Object.fromEntries(report.results.map((r) => [r.id, r]));
    expect(byId.top).toMatchObject({ outcome: "ok", status: 200, url: `${siteUrl}/` });
    expect(byId.broken).toMatchObject({ outcome: "down", status: 500, reason: "HTTP 500" });
    expect(byId.soft404).toMatchObject({ outcome: "down", status: 200 });
    expect(byId.soft404!.reason).toContain("expected content missing");
    expect(byId.slow).toMatchObject({ outcome: "slow", status: 200 });
    expect(byId.slow!.ms).toBeGreaterThan(200);
    expect(byId.hang).toMatchObject({ outcome: "down" });
    expect(byId.hang!.status).toBeUndefined();
    expect(byId.hang!.reason).toContain("timed out after 1000 ms");
    expect(byId.gone).toMatchObject({ outcome: "down", status: 404 });
    expect(exitCodeOf(report)).toBe(1);

    const text = textReport(report);
    expect(text).toContain("停止 4 件 / 4 down、遅延 1 件 / 1 slow");
    expect(text).toMatch(/停止 \/ DOWN\s+--- +\d+ ms {2}http:\/\/127\.0\.0\.1:\d+\/hang\//);
    const md = markdownReport(report);
    expect(md).toContain("2026-11-26 10:00:00 JST");
    expect(md).toContain(`| broken | ${siteUrl}/broken/ | ❌ 停止 / DOWN | 500 |`);
    expect(md).toContain(`| slow | ${siteUrl}/slow/ | ⚠️ 遅延 / SLOW | 200 |`);
    expect(md).toContain(`| top | ${siteUrl}/ | ✅ 正常 / OK | 200 |`);
  });

  it("reports a connection refused as down, and passes when everything answers in time", async () => {
    const closed = http.createServer();
    const closedUrl = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const refused = await runChecks({ ...fast, baseUrl: closedUrl, checks: [check("top", "/")] });
    expect(refused.results[0]!.outcome).toBe("down");
    expect(refused.results[0]!.reason).toContain("ECONNREFUSED");

    const healthy = await runChecks({ ...fast, baseUrl: siteUrl, checks: defaultChecks(SITE_NAME) });
    expect(healthy.results.map((r) => r.outcome)).toEqual(["ok", "ok", "ok", "ok"]);
    expect(exitCodeOf(healthy)).toBe(0);
    expect(markdownReport(healthy)).toContain("すべて正常（4 件） / all 4 checks OK");
  });

  it("retries a page that is down once before reporting it", async () => {
    const report = await runChecks({ ...fast, retries: 1, baseUrl: siteUrl, checks: [check("flaky", "/flaky/")] });
    expect(report.results[0]).toMatchObject({ outcome: "ok", attempts: 2 });
  });
});

describe("the monitoring issue", () => {
  const monitor = () => runChecks({ ...fast, baseUrl: siteUrl, checks: defaultChecks(SITE_NAME) });

  it("is opened once when down, commented on while down, closed on recovery", async () => {
    // An unrelated pull request with the label must not be mistaken for the issue.
    issues.push({ number: 1, title: "PR", body: "", state: "open", labels: [], comments: [], pull_request: {} });

    siteState = "down";
    expect(await syncIssue(target, await monitor())).toEqual({ action: "opened", issue: 2 });
    expect(labels).toEqual(["monitoring"]);
    const issue = issues[1]!;
    expect(issue).toMatchObject({ state: "open", labels: ["monitoring"] });
    expect(issue.title).toContain("is down");
    expect(issue.body).toContain("❌ 停止 / DOWN | 500 |");
    expect(issue.body).toContain("https://github.example/run/1");
    expect(issue.body).toContain("docs/operations/monitoring.md");

    expect(await syncIssue(target, await monitor())).toEqual({ action: "commented", issue: 2 });
    expect(issues.filter((i) => !i.pull_request)).toHaveLength(1);
    expect(issue.comments).toHaveLength(1);
    expect(issue.comments[0]).toContain("still down");

    siteState = "up";
    expect(await syncIssue(target, await monitor())).toEqual({ action: "closed", issue: 2 });
    expect(issue.state).toBe("closed");
    expect(issue.comments[1]).toContain("recovered");

    calls = [];
    expect(await syncIssue(target, await monitor())).toEqual({ action: "none" });
    expect(calls).toEqual([`GET /repos/${REPO}/issues`]);

    // A new outage opens a new issue (the label now exists).
    siteState = "down";
    expect(await syncIssue(target, await monitor())).toEqual({ action: "opened", issue: 3 });
    expect(calls).not.toContain(`POST /repos/${REPO}/labels`);
  });

  it("does not open an issue for slowness alone", async () => {
    const report = await runChecks({ ...fast, timeoutMs: 1000, baseUrl: siteUrl, checks: [check("slow", "/slow/")] });
    expect(exitCodeOf(report)).toBe(1);
    expect(await syncIssue(target, report)).toEqual({ action: "none" });
  });

  it("fails loudly when GitHub refuses", async () => {
    siteState = "down";
    await expect(syncIssue({ ...target, token: "wrong" }, await monitor())).rejects.toThrow(/401 Bad credentials/);
  });
});

describe("scripts/monitor.ts", () => {
  it("prints and writes the report, syncs the issue from GITHUB_* variables and exits 1 when down", async () => {
    siteState = "down";
    const dir = tempDir("monitor-");
    const reportFile = path.join(dir, "report.md");
    const summary = path.join(dir, "summary.md");
    const env = { ...process.env, GITHUB_API_URL: target.apiUrl, GITHUB_REPOSITORY: REPO, GITHUB_TOKEN: TOKEN, GITHUB_STEP_SUMMARY: summary };
    const args = [path.join(ROOT, "scripts/monitor.ts"), "--base-url", siteUrl, "--timeout", "2000", "--retries", "0", "--report", reportFile, "--github-issue"];
    const failed = await run(process.execPath, args, { env }).then(
      () => undefined,
      (e: { code: number; stdout: string }) => e,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toContain("停止 1 件 / 1 down");
    expect(failed?.stdout).toContain("monitoring issue #1: opened");
    expect(readFileSync(reportFile, "utf8")).toContain("| 地方版ラボ一覧 / labs |");
    expect(readFileSync(summary, "utf8")).toBe(readFileSync(reportFile, "utf8"));

    siteState = "up";
    const { stdout } = await run(process.execPath, [...args, "--skip", "admin"], { env });
    expect(stdout).toContain("すべて正常（3 件）");
    expect(stdout).toContain("monitoring issue #1: closed");
    rmSync(dir, { recursive: true, force: true });
  });

  it("explains what --github-issue needs outside GitHub Actions", async () => {
    const env = { ...process.env, GITHUB_REPOSITORY: "", GITHUB_TOKEN: "" };
    const failed = await run(process.execPath, [path.join(ROOT, "scripts/monitor.ts"), "--base-url", siteUrl, "--report", path.join(tempDir("monitor-"), "r.md"), "--github-issue"], { env }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toContain("--github-issue needs GITHUB_REPOSITORY, GITHUB_TOKEN");
  });
});
