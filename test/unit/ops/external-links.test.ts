import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../../src/options.ts";
import {
  checkExternalLinks,
  parseSkipList,
  readState,
  renderReport,
  syncIssue,
  updateState,
  writeState,
  type CheckRun,
  type GitHubConfig,
  type RunSummary,
} from "../../../src/ops/external-links.ts";
import { tempDir } from "../../helpers/build.ts";
import { freePort } from "../../helpers/cms.ts";

const run = promisify(execFile);
const NOW = "2026-11-26T03:00:00+09:00";

interface Origin {
  url: string;
  hits: Map<string, number>;
  server: http.Server;
}

/** A loopback "other site": counts requests per path, answers per route. */
async function origin(routes: Record<string, (req: http.IncomingMessage, res: http.ServerResponse, hit: number) => void>): Promise<Origin> {
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const p = new URL(req.url ?? "/", "http://x").pathname;
    const hit = (hits.get(p) ?? 0) + 1;
    hits.set(p, hit);
    const route = routes[p] ?? routes["*"];
    if (route) route(req, res, hit);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, server };
}

async function stop(o: Origin) {
  o.server.closeAllConnections();
  await new Promise((resolve) => o.server.close(resolve));
}

function page(dir: string, file: string, title: string, links: string[]) {
  const full = path.join(dir, file);
  mkdirSync(path.dirname(full), { recursive: true });
  const body = links.map((l) => `<a href="${l}">link</a>`).join("\n");
  writeFileSync(full, `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>\n`);
}

describe("外部リンク検査", () => {
  let a: Origin; // the "other site" with every kind of answer
  let b: Origin; // a second host (per-host runs, skip list)
  let own: Origin; // stands in for the site's own public origin: never requested
  let refused: string;
  let site: string;
  let result: CheckRun;
  let summary: RunSummary;
  let report: string;
  const retried: string[] = [];

  beforeAll(async () => {
    a = await origin({
      "/ok": (_q, s) => s.writeHead(200, { "content-type": "text/html" }).end("<p>ok</p>"),
      "/moved": (_q, s) => s.writeHead(301, { location: "/ok" }).end(),
      "/gone": (_q, s) => s.writeHead(404).end(),
      "/error": (_q, s) => s.writeHead(500).end(),
      // Rate limited once, then fine: must be retried after Retry-After, not reported.
      "/busy": (_q, s, hit) => (hit === 1 ? s.writeHead(429, { "retry-after": "1" }).end() : s.writeHead(200).end()),
      // Asks for an hour: reported as 429 rather than holding the nightly job.
      "/throttled": (_q, s) => s.writeHead(429, { "retry-after": "3600" }).end(),
      "/slow": () => {
        /* never answers */
      },
    });
    b = await origin({ "/ok": (_q, s) => s.writeHead(200).end(), "/skipped": (_q, s) => s.writeHead(404).end() });
    own = await origin({});
    refused = `http://127.0.0.1:${await freePort()}/`;

    site = tempDir("linkcheck-site-");
    page(site, "index.html", "地方版IoT推進ラボ", [`${a.url}/ok`, `${a.url}/gone`, `${own.url}/about/`, "/news/a/", "mailto:info@example.jp"]);
    page(site, "news/a/index.html", "お知らせ &amp; 報告 | 地方版IoT推進ラボ", [
      `${a.url}/gone#section`,
      `${a.url}/error`,
      `${a.url}/moved`,
      `${a.url}/busy`,
      `${a.url}/slow`,
    ]);
    page(site, "labs/x/index.html", "テストIoT推進ラボ | 地方版IoT推進ラボ", [`${a.url}/throttled`, `${b.url}/ok`, `${b.url}/skipped/page`, refused]);

    const statePath = path.join(tempDir("linkcheck-state-"), "state.json");
    writeState(statePath, {
      version: 1,
      broken: {
        [`${a.url}/gone`]: { since: "2026-11-20T03:00:00+09:00", lastSeen: "2026-11-25T03:00:00+09:00", status: "404" },
        [`${b.url}/ok`]: { since: "2026-11-24T03:00:00+09:00", lastSeen: "2026-11-25T03:00:00+09:00", status: "503" },
        [`${a.url}/removed-from-site`]: { since: "2026-11-01T03:00:00+09:00", lastSeen: "2026-11-25T03:00:00+09:00", status: "404" },
      },
    });

    result = await checkExternalLinks(site, {
      siteOrigins: [own.url],
      skip: parseSkipList(`# test\n${b.url}/skipped\n`),
      timeoutMs: 500,
      retries: 1,
      retryJitterMs: 0,
      onRetry: (r) => retried.push(`${r.status} ${r.url}`),
    });
    summary = updateState(readState(statePath), result, NOW);
    report = renderReport(summary, { siteOrigin: "https://iot-lab-portal.example.jp" });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a, b, own].filter(Boolean).map(stop));
  });

  const entry = (url: string) => summary.entries.find((e) => e.url === url);

  it("リンク先ごとの状態を判定する（200・301→200 は正常）", () => {
    expect(result.ok).toEqual(expect.arrayContaining([`${a.url}/ok`, `${a.url}/moved`, `${a.url}/busy`, `${b.url}/ok`]));
    expect(entry(`${a.url}/gone`)?.failure).toEqual({ kind: "http", status: 404 });
    expect(entry(`${a.url}/error`)?.failure).toEqual({ kind: "http", status: 500 });
    expect(entry(`${a.url}/throttled`)?.failure).toEqual({ kind: "http", status: 429 });
    expect(entry(`${a.url}/slow`)?.failure).toEqual({ kind: "timeout" });
    expect(entry(refused)?.failure).toMatchObject({ kind: "connection", code: "ECONNREFUSED" });
    expect(summary.entries.map((e) => e.url).sort()).toEqual(
      [`${a.url}/gone`, `${a.url}/error`, `${a.url}/throttled`, `${a.url}/slow`, refused].sort(),
    );
  });

  it("429 は Retry-After を待って再試行し、長すぎる Retry-After は待たずに報告する", () => {
    expect(retried).toContain(`429 ${a.url}/busy`);
    expect(a.hits.get("/busy")).toBeGreaterThanOrEqual(2);
    expect(retried).not.toContain(`429 ${a.url}/throttled`);
    expect(a.hits.get("/throttled")).toBeLessThanOrEqual(2); // HEAD, then linkinator's GET fallback
    // 500 is retried (retries: 1), a 404 is not.
    expect(a.hits.get("/error")).toBeGreaterThanOrEqual(2);
    expect(retried).not.toContain(`404 ${a.url}/gone`);
  });

  it("自サイトのオリジンと除外リストのリンクにはアクセスしない", () => {
    expect(own.hits.size).toBe(0);
    expect(b.hits.has("/skipped/page")).toBe(false);
    expect(result.skipped).toEqual([{ url: `${b.url}/skipped/page`, reason: "list", pages: [{ path: "/labs/x/", title: "テストIoT推進ラボ" }] }]);
    expect(result.links).toBe(9);
    expect(result.hosts).toBe(3);
  });

  it("レポート: 状態・掲載ページ・いつから", () => {
    expect(report).toContain("# 外部リンクの検査結果（2026年11月26日（木））");
    expect(report).toContain("リンク切れ: **5 件**（うち新規 4 件）／復旧: 2 件／検査対象外: 1 件");
    const gone = report.slice(report.indexOf(`<${a.url}/gone>`));
    const goneSection = gone.slice(0, gone.indexOf("###"));
    expect(goneSection).toContain("状態: 404 Not Found（ページが見つかりません）");
    expect(goneSection).toContain("いつから: 2026年11月20日（金）から（6 日間）");
    expect(goneSection).toContain("地方版IoT推進ラボ — [/](https://iot-lab-portal.example.jp/)");
    expect(goneSection).toContain("お知らせ & 報告 — [/news/a/](https://iot-lab-portal.example.jp/news/a/)");
    expect(report).toMatch(new RegExp(`### \\d\\. 【新規】 <${a.url}/error>`));
    expect(report).not.toMatch(new RegExp(`【新規】 <${a.url}/gone>`));
    expect(report).toMatch(/状態: 500 Internal Server Error（相手のサーバーでエラーが起きています）/);
    expect(report).toContain("状態: タイムアウト");
    expect(report).toContain("状態: 接続できません（接続を拒否されました）");
    expect(report).toContain("状態: 429 Too Many Requests（アクセスが多すぎるとして制限されました）");
    expect(report).toContain("いつから: 今回の検査で初めて見つかりました（2026年11月26日（木））");
    expect(report).toContain(`- 復旧: <${b.url}/ok> — 2026年11月24日（火）から切れていましたが、リンク先が表示できるようになりました`);
    expect(report).toContain(`- 復旧: <${a.url}/removed-from-site> — 2026年11月1日（日）から切れていましたが、ページからリンクがなくなりました`);
    expect(report).toContain(`- <${b.url}/skipped/page>`);
  });

  it("状態ファイル: 初めて切れた日を引き継ぎ、復旧したものは消える", () => {
    const broken = summary.state.broken;
    expect(broken[`${a.url}/gone`]).toEqual({ since: "2026-11-20T03:00:00+09:00", lastSeen: NOW, status: "404" });
    expect(broken[`${a.url}/slow`]).toEqual({ since: NOW, lastSeen: NOW, status: "timeout" });
    expect(broken[refused]?.status).toBe("connection:ECONNREFUSED");
    expect(broken[`${b.url}/ok`]).toBeUndefined();
    expect(broken[`${a.url}/removed-from-site`]).toBeUndefined();
    expect(Object.keys(broken)).toHaveLength(5);
  });
});

describe("応答しないサイト", () => {
  it("続けて接続に失敗したサイトの残りのリンクにはアクセスせず、同じ状態で報告する", async () => {
    // Every path: the connection is accepted, no answer ever comes.
    const dead = await origin({ "*": () => {} });
    const site = tempDir("linkcheck-dead-");
    const links = Array.from({ length: 8 }, (_, i) => `${dead.url}/p${i}`);
    page(site, "index.html", "トップ", links);
    try {
      const run = await checkExternalLinks(site, { timeoutMs: 300, retries: 0, perHost: 2 });
      expect(run.broken.map((b) => b.failure)).toEqual(links.map(() => ({ kind: "timeout" })));
      const skipped = run.broken.filter((b) => b.hostDown);
      expect(skipped.length).toBeGreaterThanOrEqual(3);
      expect(dead.hits.size).toBe(links.length - skipped.length);
      for (const b of skipped) expect(dead.hits.has(new URL(b.url).pathname)).toBe(false);
      const report = renderReport(updateState({ version: 1, broken: {} }, run, NOW));
      expect(report).toContain("同じサイトへの接続が続けて失敗したため、このリンクへのアクセスは省略しました");
    } finally {
      await stop(dead);
    }
  });
});

describe("除外リストの書式", () => {
  it("http(s):// で始まる行は前方一致、それ以外は正規表現、# はコメント", () => {
    const rules = parseSkipList("# comment\n\nhttps://example.jp/a?b=1\n^https://(www\\.)?x\\.com/\n");
    expect(rules.map((r) => r.line)).toEqual([3, 4]);
    const skipped = (url: string) => rules.some((r) => r.test(url));
    expect(skipped("https://example.jp/a?b=1&c=2")).toBe(true);
    expect(skipped("https://example.jp/aXb=1")).toBe(false); // "?" is literal in a prefix
    expect(skipped("https://www.x.com/someone")).toBe(true);
    expect(skipped("https://example.com/x.com/")).toBe(false);
  });

  it("読めない正規表現は行番号つきのエラー", () => {
    expect(() => parseSkipList("ok\n^https://(broken\n", "skip.txt")).toThrow(/skip\.txt:2: 正規表現として読めません/);
  });

  it("リポジトリの除外リストは読める", () => {
    const rules = parseSkipList(readFileSync(path.join(ROOT, "ops/linkcheck-skip.txt"), "utf8"));
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.some((r) => r.test("https://x.com/meti_NIPPON"))).toBe(true);
  });
});

interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  labels: { name: string }[];
  comments: string[];
}

/** Just enough of the GitHub REST API for the issue sync, with a log of the calls. */
async function fakeGitHub(token: string) {
  const issues: FakeIssue[] = [];
  const labels = new Set<string>();
  const calls: string[] = [];
  const server = http.createServer(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const url = new URL(req.url ?? "/", "http://x");
    calls.push(`${req.method} ${url.pathname}`);
    const send = (status: number, data: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(data));
    if (req.headers.authorization !== `Bearer ${token}`) return send(401, { message: "Bad credentials" });
    const l = /^\/repos\/ipa\/portal\/labels(?:\/([^/]+))?$/.exec(url.pathname);
    if (l && req.method === "GET" && l[1]) return labels.has(decodeURIComponent(l[1])) ? send(200, { name: l[1] }) : send(404, { message: "Not Found" });
    if (l && req.method === "POST") {
      labels.add(String(body.name));
      return send(201, body);
    }
    const m = /^\/repos\/ipa\/portal\/issues(?:\/(\d+))?(\/comments)?$/.exec(url.pathname);
    if (!m) return send(404, { message: "Not Found" });
    const issue = m[1] ? issues.find((i) => i.number === Number(m[1])) : undefined;
    if (req.method === "GET" && !m[1]) {
      const label = url.searchParams.get("labels");
      const state = url.searchParams.get("state");
      return send(200, issues.filter((i) => i.state === state && i.labels.some((l) => l.name === label)));
    }
    if (req.method === "POST" && !m[1]) {
      const created: FakeIssue = {
        number: issues.length + 1,
        title: String(body.title),
        body: String(body.body),
        state: "open",
        labels: ((body.labels as string[]) ?? []).map((name) => ({ name })),
        comments: [],
      };
      issues.push(created);
      return send(201, created);
    }
    if (!issue) return send(404, { message: "Not Found" });
    if (req.method === "PATCH") {
      Object.assign(issue, body);
      return send(200, issue);
    }
    if (req.method === "POST" && m[2]) {
      issue.comments.push(String(body.body));
      return send(201, { body: body.body });
    }
    return send(405, {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, issues, labels, calls, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe("GitHub issue（ラベル link-check の issue を常に 1 件だけ）", () => {
  it("毎晩のスクリプト実行で: 開く → 更新 → 新規分をコメント → 全復旧で閉じる", async () => {
    let broken = new Set(["/gone"]);
    const target = await origin({
      "/gone": (_q, s) => s.writeHead(broken.has("/gone") ? 404 : 200).end(),
      "/later": (_q, s) => s.writeHead(broken.has("/later") ? 410 : 200).end(),
    });
    const github = await fakeGitHub("secret-token");
    const site = tempDir("linkcheck-issue-");
    page(site, "index.html", "トップ", [`${target.url}/gone`, `${target.url}/later`]);
    const work = tempDir("linkcheck-night-");
    const state = path.join(work, "state.json");
    const night = async (now: string) => {
      const reportFile = path.join(work, `${now.slice(0, 10)}.md`);
      const { stdout } = await run(
        process.execPath,
        [
          path.join(ROOT, "scripts/check-external-links.ts"),
          ...["--site", site, "--state", state, "--report", reportFile, "--now", now, "--retries", "0", "--timeout", "2000"],
          ...["--site-origin", "https://iot-lab-portal.example.jp", "--github-issue"],
        ],
        {
          env: {
            ...process.env,
            ...{ GITHUB_API_URL: github.url, GITHUB_REPOSITORY: "ipa/portal", GITHUB_TOKEN: "secret-token" },
            ...{ GITHUB_SERVER_URL: "https://github.example", GITHUB_RUN_ID: "42" },
          },
        },
      );
      return { stdout, report: readFileSync(reportFile, "utf8") };
    };
    try {
      const first = await night("2026-11-24T03:00:00+09:00");
      expect(first.stdout).toContain("GitHub issue #1: opened");
      expect(github.issues).toHaveLength(1);
      expect(github.issues[0]).toMatchObject({ title: "外部リンク切れ（1 件）", state: "open", labels: [{ name: "link-check" }] });
      expect(github.issues[0]!.body).toBe(`${first.report}\n---\n検査の実行記録（レポートの成果物あり）: https://github.example/ipa/portal/actions/runs/42\n`);
      // The label is created before the issue, so the issue is found again by it.
      expect(github.labels).toEqual(new Set(["link-check"]));
      expect(github.calls.indexOf("POST /repos/ipa/portal/labels")).toBeLessThan(github.calls.indexOf("POST /repos/ipa/portal/issues"));

      const second = await night("2026-11-25T03:00:00+09:00");
      expect(second.stdout).toContain("GitHub issue #1: updated");
      expect(github.issues).toHaveLength(1);
      expect(github.issues[0]!.body).toContain("2026年11月24日（火）から（1 日間）");
      expect(github.issues[0]!.comments).toEqual([]); // nothing new: no notification

      broken = new Set(["/gone", "/later"]);
      await night("2026-11-26T03:00:00+09:00");
      expect(github.issues).toHaveLength(1);
      expect(github.issues[0]!.title).toBe("外部リンク切れ（2 件）");
      expect(github.issues[0]!.comments).toEqual([`新たに 1 件のリンク切れが見つかりました。\n\n- <${target.url}/later>`]);

      broken = new Set();
      const fourth = await night("2026-11-27T03:00:00+09:00");
      expect(fourth.stdout).toContain("GitHub issue #1: closed");
      expect(github.issues).toHaveLength(1);
      expect(github.issues[0]!.state).toBe("closed");
      expect(github.issues[0]!.comments.at(-1)).toMatch(/すべての外部リンクが復旧したため閉じます/);
      expect(github.issues[0]!.body).toContain("## 復旧（2 件）");
      expect(readState(state).broken).toEqual({});

      // Nothing broken and no open issue: no write calls at all.
      const before = github.calls.length;
      await night("2026-11-28T03:00:00+09:00");
      expect(github.calls.slice(before)).toEqual(["GET /repos/ipa/portal/issues"]);
    } finally {
      await stop(target);
      await github.close();
    }
  }, 60_000);

  it("ラベル付きの issue が複数開いていたら 1 件にまとめる", async () => {
    const github = await fakeGitHub("t");
    const cfg: GitHubConfig = { apiUrl: github.url, repository: "ipa/portal", token: "t", label: "link-check" };
    try {
      await syncIssue(cfg, { brokenCount: 1, newlyBroken: ["https://a.example/"], report: "r1" });
      // Someone opened another one by hand with the same label.
      github.issues.push({ number: 2, title: "dup", body: "", state: "open", labels: [{ name: "link-check" }], comments: [] });
      const result = await syncIssue(cfg, { brokenCount: 1, newlyBroken: [], report: "r2" });
      expect(result).toEqual({ action: "updated", number: 1, closedDuplicates: [2] });
      expect(github.issues.map((i) => i.state)).toEqual(["open", "closed"]);
      expect(github.issues[1]!.comments[0]).toContain("#1 にまとめます");
    } finally {
      await github.close();
    }
  });

  it("API エラーはスクリプトの失敗（終了コード 1）で、レポートと状態は先に書く", async () => {
    const github = await fakeGitHub("right");
    const site = tempDir("linkcheck-fail-");
    page(site, "index.html", "トップ", [`http://127.0.0.1:${await freePort()}/`]);
    const work = tempDir("linkcheck-fail-work-");
    try {
      const failed = await run(
        process.execPath,
        [
          path.join(ROOT, "scripts/check-external-links.ts"),
          ...["--site", site, "--state", path.join(work, "s.json"), "--report", path.join(work, "r.md"), "--retries", "0", "--github-issue"],
        ],
        { env: { ...process.env, GITHUB_API_URL: github.url, GITHUB_REPOSITORY: "ipa/portal", GITHUB_TOKEN: "wrong", GITHUB_RUN_ID: "" } },
      ).then(
        () => ({ code: 0, stderr: "" }),
        (e: { code: number; stderr: string }) => e,
      );
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/link check failed: GitHub API GET .*401/);
      expect(readFileSync(path.join(work, "r.md"), "utf8")).toContain("接続できません");
      expect(Object.keys(readState(path.join(work, "s.json")).broken)).toHaveLength(1);
    } finally {
      await github.close();
    }
  });
});
