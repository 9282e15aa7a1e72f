/**
 * The nightly external link check: which links from the built pages to other sites are broken,
 * since when, and one GitHub issue that follows the situation. Internal links are checked at
 * every build (src/build/internal-links.ts); this only looks outward.
 *
 * Two linkinator passes, both on loopback first:
 *  1. collect: every built page is served locally and parsed by linkinator; every link is
 *     "skipped" (no request leaves the machine) and recorded with the page it is on.
 *  2. check: per host, a generated page listing that host's links is checked by its own
 *     linkinator run. linkinator's `concurrency` is global to a run, so one run per host is
 *     what gives a per-host limit, and its 429/Retry-After pause (kept per run) stays per host.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { STATUS_CODES } from "node:http";
import os from "node:os";
import path from "node:path";
import { LinkChecker, LinkState, type LinkResult, type RetryInfo } from "linkinator";
import { DateTime } from "luxon";
import { jaDate, jaDateTime } from "../filters/dates.ts";
import { TIME_ZONE } from "../schema/fields.ts";
import { freePort } from "./free-port.ts";
import { ensureLabel, githubJson } from "./github-api.ts";

// ---------------------------------------------------------------------------------------------
// Skip list (ops/linkcheck-skip.txt)

export interface SkipRule {
  /** The line as written, for messages. */
  source: string;
  line: number;
  test(url: string): boolean;
}

/**
 * One rule per line: a line starting with http:// or https:// is a URL prefix (taken literally,
 * so "?" and "." need no escaping); anything else is a JavaScript regular expression. Blank
 * lines and lines starting with # are ignored. A bad regex is an error: a skip list that
 * silently stops matching would flood the report.
 */
export function parseSkipList(text: string, file = "ops/linkcheck-skip.txt"): SkipRule[] {
  const rules: SkipRule[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const source = raw.trim();
    const line = index + 1;
    if (source === "" || source.startsWith("#")) return;
    if (/^https?:\/\//i.test(source)) {
      rules.push({ source, line, test: (url) => url.startsWith(source) });
      return;
    }
    let re: RegExp;
    try {
      re = new RegExp(source);
    } catch (error) {
      throw new Error(`${file}:${line}: 正規表現として読めません / invalid regular expression: ${source} (${(error as Error).message})`);
    }
    rules.push({ source, line, test: (url) => re.test(url) });
  });
  return rules;
}

export function readSkipList(file: string): SkipRule[] {
  return existsSync(file) ? parseSkipList(readFileSync(file, "utf8"), file) : [];
}

// ---------------------------------------------------------------------------------------------
// Pass 1: which external links are on which pages

export interface PageRef {
  /** Site path as visitors see it: "/labs/nagaoka/". */
  path: string;
  title: string;
}

export interface CollectedLinks {
  /** Number of built HTML pages. */
  pageCount: number;
  /** Pages with at least one external link. */
  pages: Map<string, PageRef>;
  /** External URL (without #fragment) → site paths of the pages linking to it. */
  external: Map<string, Set<string>>;
  /** Links matching the skip list, same shape. */
  skipped: Map<string, Set<string>>;
}

export interface CollectOptions {
  /** The site's own public origin(s): absolute links there (canonical, og:url…) are internal. */
  siteOrigins?: string[];
  skip?: SkipRule[];
}


/** "news/x/index.html" → "/news/x/"; "404.html" → "/404.html". */
function sitePath(file: string): string {
  const p = `/${file.split(path.sep).join("/")}`;
  return p.endsWith("/index.html") ? p.slice(0, -"index.html".length) : p;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", apos: "'" };

function pageTitle(file: string): string {
  const html = readFileSync(file, "utf8");
  const raw = /<title>([^<]*)<\/title>/i.exec(html)?.[1] ?? "";
  const title = raw.replace(/&(amp|lt|gt|quot|#39|apos);/g, (_, e: string) => ENTITIES[e] ?? "").trim();
  // "ページ名 | サイト名" → "ページ名": the site name on every line adds nothing.
  const parts = title.split(" | ");
  return parts.length > 1 ? parts.slice(0, -1).join(" | ") : title;
}

function withoutFragment(url: string): string {
  const u = new URL(url);
  u.hash = "";
  return u.href;
}

function originsOf(siteOrigins: string[] = []): Set<string> {
  return new Set(siteOrigins.map((o) => new URL(o).origin));
}

export async function collectExternalLinks(siteDir: string, options: CollectOptions = {}): Promise<CollectedLinks> {
  const root = path.resolve(siteDir);
  const own = originsOf(options.siteOrigins);
  const skip = options.skip ?? [];
  const port = await freePort();
  const local = `http://127.0.0.1:${port}/`;
  const checker = new LinkChecker();
  // Only the pages themselves are fetched (from linkinator's loopback server); every link found
  // on them is reported as SKIPPED with its page, without a request.
  const { links } = await checker.check({
    path: "**/*.html",
    serverRoot: root,
    port,
    recurse: false,
    concurrency: 16,
    linksToSkip: async (href) => !(href.startsWith(local) && new URL(href).pathname.endsWith(".html")),
  });

  const pages = new Map<string, PageRef>();
  const external = new Map<string, Set<string>>();
  const skipped = new Map<string, Set<string>>();
  for (const link of links) {
    if (link.state !== LinkState.SKIPPED || !link.parent || !/^https?:\/\//i.test(link.url)) continue;
    let url: string;
    try {
      url = withoutFragment(link.url);
    } catch {
      continue; // unparsable links are the build's internal check business
    }
    if (own.has(new URL(url).origin)) continue;
    const file = link.parent.startsWith("http") ? decodeURIComponent(new URL(link.parent).pathname).slice(1) : link.parent;
    const pagePath = sitePath(file);
    if (!pages.has(pagePath)) pages.set(pagePath, { path: pagePath, title: pageTitle(path.join(root, file)) });
    const target = skip.some((rule) => rule.test(url)) ? skipped : external;
    let set = target.get(url);
    if (!set) target.set(url, (set = new Set()));
    set.add(pagePath);
  }
  return { pageCount: links.filter((l) => !l.parent).length, pages, external, skipped };
}

// ---------------------------------------------------------------------------------------------
// Pass 2: check each host's links, politely

export type Failure =
  | { kind: "http"; status: number }
  | { kind: "timeout" }
  | { kind: "connection"; code?: string };

export type LinkOutcome =
  | { url: string; state: "ok" }
  | { url: string; state: "skipped" }
  /** hostDown: not requested, the host had already failed to answer several links in a row. */
  | { url: string; state: "broken"; failure: Failure; hostDown?: true };

export interface CheckOptions {
  siteOrigins?: string[];
  skip?: SkipRule[];
  /** Per request (HEAD, then GET). */
  timeoutMs?: number;
  /** Simultaneous requests to one host. */
  perHost?: number;
  /** Hosts checked at the same time. */
  hosts?: number;
  /** Retries of 5xx, network errors and 429 without Retry-After (exponential backoff, 2 s, 4 s…). */
  retries?: number;
  retryJitterMs?: number;
  /** A 429 whose Retry-After asks for longer than this is reported, not waited for. */
  maxRetryAfterSeconds?: number;
  /** 429 + Retry-After retries per link before it is reported as 429. */
  maxRateLimitRetries?: number;
  userAgent?: string;
  onRetry?: (info: RetryInfo) => void;
  onHostDone?: (host: string, outcomes: LinkOutcome[]) => void;
}

export const CHECK_DEFAULTS = {
  timeoutMs: 20_000,
  perHost: 2,
  hosts: 6,
  retries: 2,
  retryJitterMs: 3_000,
  maxRetryAfterSeconds: 120,
  maxRateLimitRetries: 3,
} satisfies Partial<CheckOptions>;

interface RetryInternals {
  shouldRetryAfter?: (response: { status: number; headers: Record<string, string | undefined> }, options: { url: URL }) => boolean;
  shouldRetryOnError?: (status: number, options: { url: URL }) => boolean;
}

function retryAfterSeconds(raw: string | undefined, now = Date.now()): number | undefined {
  if (!raw) return undefined;
  if (/^\s*\d+\s*$/.test(raw)) return Number(raw);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - now) / 1000);
}

/**
 * linkinator 8 honours 429 + Retry-After but without a limit: a host that keeps answering 429
 * would be retried forever, and "Retry-After: 86400" would hold the nightly job for a day. We
 * bound both by wrapping its two retry decisions on this instance. If a linkinator update
 * renames them, its own (unbounded) behaviour remains and the 429 test notices.
 */
function boundRateLimitRetries(checker: LinkChecker, maxRetries: number, maxWaitSeconds: number): void {
  const internals = checker as unknown as RetryInternals;
  const retryAfter = internals.shouldRetryAfter;
  const onError = internals.shouldRetryOnError;
  if (typeof retryAfter !== "function" || typeof onError !== "function") return;
  const counts = new Map<string, number>();
  const givenUp = new Set<string>();
  internals.shouldRetryAfter = (response, options) => {
    const wait = response.status === 429 ? retryAfterSeconds(response.headers["retry-after"]) : undefined;
    if (wait !== undefined) {
      const href = options.url.href;
      const n = counts.get(href) ?? 0;
      if (n >= maxRetries || wait > maxWaitSeconds) {
        givenUp.add(href);
        return false;
      }
      counts.set(href, n + 1);
    }
    return retryAfter.call(checker, response, options);
  };
  internals.shouldRetryOnError = (status, options) => {
    // Given up politely: do not hammer the host with backoff retries instead.
    if (status === 429 && givenUp.has(options.url.href)) return false;
    return onError.call(checker, status, options);
  };
}

interface ErrorLike {
  name?: string;
  code?: string;
  cause?: unknown;
}

const TIMEOUT_CODES = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);

/** What went wrong, from linkinator's result: an HTTP status, or the request's error. */
export function classifyFailure(result: Pick<LinkResult, "status" | "failureDetails">): Failure {
  if (result.status && result.status > 0) return { kind: "http", status: result.status };
  let code: string | undefined;
  for (const detail of result.failureDetails ?? []) {
    let e: unknown = detail;
    for (let depth = 0; e && typeof e === "object" && depth < 4; depth++) {
      const { name, code: c, cause } = e as ErrorLike;
      if (name === "TimeoutError" || (c && TIMEOUT_CODES.has(c))) return { kind: "timeout" };
      if (c && !code) code = c;
      e = cause;
    }
  }
  return { kind: "connection", code };
}

function pageListing(urls: string[]): string {
  const attr = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>links</title>\n${urls.map((u) => `<a href="${attr(u)}">link</a>`).join("\n")}\n</html>\n`;
}

/** Network failures in a row after which a host is taken as down for the night. */
const HOST_DOWN_AFTER = 3;

async function checkHost(urls: string[], dir: string, options: CheckOptions & typeof CHECK_DEFAULTS): Promise<LinkOutcome[]> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "index.html"), pageListing(urls));
  const own = originsOf(options.siteOrigins);
  const skip = options.skip ?? [];
  const checker = new LinkChecker();
  boundRateLimitRetries(checker, options.maxRateLimitRetries, options.maxRetryAfterSeconds);
  if (options.onRetry) checker.on("retry", options.onRetry);
  const wanted = new Set(urls);
  // A host that is down (timeouts, no DNS, refused) would cost timeout × retries for each of its
  // links: after a few network failures in a row, the rest are reported without a request.
  const down = { streak: 0, failure: undefined as Failure | undefined, skipped: new Set<string>() };
  checker.on("link", (result) => {
    if (!wanted.has(result.url) || result.state === LinkState.SKIPPED) return;
    const failure = result.state === LinkState.BROKEN ? classifyFailure(result) : undefined;
    if (failure && failure.kind !== "http") {
      down.streak++;
      down.failure ??= failure;
    } else {
      down.streak = 0;
    }
  });
  const port = await freePort();
  const listing = `http://127.0.0.1:${port}/`;
  const { links } = await checker.check({
    path: dir,
    port,
    recurse: false,
    concurrency: options.perHost,
    timeout: options.timeoutMs,
    retry: true,
    retryErrors: options.retries > 0,
    retryErrorsCount: options.retries,
    retryErrorsJitter: options.retryJitterMs,
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
    // Applies to redirect targets too: a link that redirects into a skipped site is skipped.
    linksToSkip: async (href) => {
      if (href === listing) return false;
      if (down.streak >= HOST_DOWN_AFTER && wanted.has(href)) {
        down.skipped.add(href);
        return true;
      }
      return own.has(new URL(href).origin) || skip.some((rule) => rule.test(href));
    },
  });
  const byUrl = new Map<string, LinkOutcome>();
  for (const link of links) {
    if (!wanted.has(link.url) || byUrl.has(link.url)) continue;
    if (link.state === LinkState.OK) byUrl.set(link.url, { url: link.url, state: "ok" });
    else if (link.state === LinkState.SKIPPED && down.skipped.has(link.url) && down.failure) {
      byUrl.set(link.url, { url: link.url, state: "broken", failure: down.failure, hostDown: true });
    } else if (link.state === LinkState.SKIPPED) byUrl.set(link.url, { url: link.url, state: "skipped" });
    else byUrl.set(link.url, { url: link.url, state: "broken", failure: classifyFailure(link) });
  }
  // A link linkinator did not report at all (should not happen) is not claimed to be fine.
  return urls.map((url) => byUrl.get(url) ?? { url, state: "broken", failure: { kind: "connection", code: "NOT_CHECKED" } });
}

export interface BrokenLink {
  url: string;
  failure: Failure;
  pages: PageRef[];
  hostDown?: true;
}

export interface CheckRun {
  /** Built pages with at least one external link. */
  pagesWithLinks: number;
  links: number;
  hosts: number;
  broken: BrokenLink[];
  ok: string[];
  /** Skip list matches, and links linkinator could not judge (bot walls: 999, Cloudflare 403; redirects into the skip list). */
  skipped: { url: string; reason: "list" | "unverified"; pages: PageRef[] }[];
  retries: RetryInfo[];
  /** Built HTML pages in the site. */
  totalPages: number;
}

async function pool<T>(items: T[], size: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
}

export async function checkExternalLinks(siteDir: string, options: CheckOptions = {}): Promise<CheckRun> {
  const opts = { ...CHECK_DEFAULTS, ...options };
  const collected = await collectExternalLinks(siteDir, opts);
  const byHost = new Map<string, string[]>();
  for (const url of [...collected.external.keys()].sort()) {
    const host = new URL(url).host;
    byHost.set(host, [...(byHost.get(host) ?? []), url]);
  }
  const retries: RetryInfo[] = [];
  const onRetry = (info: RetryInfo) => {
    retries.push(info);
    options.onRetry?.(info);
  };
  const tmp = mkdtempSync(path.join(os.tmpdir(), "linkcheck-"));
  const outcomes: LinkOutcome[] = [];
  try {
    await pool([...byHost.entries()], opts.hosts, async ([host, urls], index) => {
      const result = await checkHost(urls, path.join(tmp, `host-${index}`), { ...opts, onRetry });
      outcomes.push(...result);
      options.onHostDone?.(host, result);
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const pagesOf = (url: string, from: Map<string, Set<string>>) =>
    [...(from.get(url) ?? [])].sort().map((p) => collected.pages.get(p) ?? { path: p, title: "" });
  outcomes.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  const broken: BrokenLink[] = [];
  const ok: string[] = [];
  const skipped: CheckRun["skipped"] = [];
  for (const o of outcomes) {
    if (o.state === "ok") ok.push(o.url);
    else if (o.state === "skipped") skipped.push({ url: o.url, reason: "unverified", pages: pagesOf(o.url, collected.external) });
    else broken.push({ url: o.url, failure: o.failure, pages: pagesOf(o.url, collected.external), ...(o.hostDown ? { hostDown: true as const } : {}) });
  }
  for (const url of [...collected.skipped.keys()].sort()) skipped.push({ url, reason: "list", pages: pagesOf(url, collected.skipped) });
  const pagesWithLinks = collected.pages.size;
  return {
    pagesWithLinks,
    totalPages: collected.pageCount,
    links: collected.external.size,
    hosts: byHost.size,
    broken,
    ok,
    skipped,
    retries,
  };
}

// ---------------------------------------------------------------------------------------------
// State between runs: since when each link has been broken

export interface StateFile {
  version: 1;
  checkedAt?: string;
  /** URL → first night it was seen broken (ISO), and how it looked last time. */
  broken: Record<string, { since: string; lastSeen: string; status: string }>;
}

export function readState(file: string): StateFile {
  if (!existsSync(file)) return { version: 1, broken: {} };
  const data = JSON.parse(readFileSync(file, "utf8")) as Partial<StateFile>;
  if (data.version !== 1 || typeof data.broken !== "object" || data.broken === null) {
    throw new Error(`${file}: 状態ファイルの形式が違います / not a link-check state file (version 1)`);
  }
  return { version: 1, checkedAt: data.checkedAt, broken: data.broken };
}

export function writeState(file: string, state: StateFile): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // Sorted keys: the state file diffs cleanly and is byte-stable for the same input.
  const broken = Object.fromEntries(Object.entries(state.broken).sort(([a], [b]) => (a < b ? -1 : 1)));
  writeFileSync(file, `${JSON.stringify({ ...state, broken }, null, 2)}\n`);
}

export interface ReportEntry extends BrokenLink {
  since: string;
  isNew: boolean;
}

export interface Recovered {
  url: string;
  since: string;
  reason: "ok" | "skipped" | "removed";
}

export interface RunSummary {
  now: string;
  run: CheckRun;
  entries: ReportEntry[];
  recovered: Recovered[];
  state: StateFile;
}

export function failureCode(failure: Failure): string {
  if (failure.kind === "http") return String(failure.status);
  if (failure.kind === "timeout") return "timeout";
  return failure.code ? `connection:${failure.code}` : "connection";
}

/** Carries first-seen dates over; links no longer broken drop out and are reported as recovered. */
export function updateState(previous: StateFile, run: CheckRun, now: string): RunSummary {
  const broken: StateFile["broken"] = {};
  const entries: ReportEntry[] = run.broken.map((b) => {
    const before = previous.broken[b.url];
    const since = before?.since ?? now;
    broken[b.url] = { since, lastSeen: now, status: failureCode(b.failure) };
    return { ...b, since, isNew: !before };
  });
  const ok = new Set(run.ok);
  const skipped = new Set(run.skipped.map((s) => s.url));
  const recovered: Recovered[] = Object.entries(previous.broken)
    .filter(([url]) => !broken[url])
    .map(([url, v]) => ({ url, since: v.since, reason: ok.has(url) ? "ok" : skipped.has(url) ? "skipped" : "removed" }) satisfies Recovered)
    .sort((a, b) => (a.url < b.url ? -1 : 1));
  return { now, run, entries, recovered, state: { version: 1, checkedAt: now, broken } };
}

// ---------------------------------------------------------------------------------------------
// The Markdown report (Japanese; read by editors and in the GitHub issue)

const HTTP_JA: Record<number, string> = {
  400: "リクエストが不正です",
  401: "ログインが必要なページです",
  403: "アクセスが拒否されました",
  404: "ページが見つかりません",
  410: "ページは削除されています",
  429: "アクセスが多すぎるとして制限されました",
  500: "相手のサーバーでエラーが起きています",
  502: "相手のサーバーでエラーが起きています",
  503: "相手のサーバーが一時的に使えません",
  504: "相手のサーバーが応答しません",
};

const CONNECTION_JA: Record<string, string> = {
  ENOTFOUND: "ドメインが見つかりません",
  EAI_AGAIN: "ドメインを引けませんでした",
  ECONNREFUSED: "接続を拒否されました",
  ECONNRESET: "接続が切断されました",
  UND_ERR_SOCKET: "接続が切断されました",
  CERT_HAS_EXPIRED: "証明書の有効期限が切れています",
  ERR_TLS_CERT_ALTNAME_INVALID: "証明書のドメイン名が一致しません",
  DEPTH_ZERO_SELF_SIGNED_CERT: "証明書が信頼できません",
  SELF_SIGNED_CERT_IN_CHAIN: "証明書が信頼できません",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "証明書が信頼できません",
};

export function describeFailure(failure: Failure): string {
  if (failure.kind === "timeout") return "タイムアウト";
  if (failure.kind === "connection") {
    const detail = failure.code ? CONNECTION_JA[failure.code] : undefined;
    return detail ? `接続できません（${detail}）` : "接続できません";
  }
  const s = failure.status;
  const ja = HTTP_JA[s] ?? (s >= 500 ? "相手のサーバーでエラーが起きています" : undefined);
  const en = STATUS_CODES[s];
  return [String(s), en, ja ? `（${ja}）` : ""].filter(Boolean).join(" ").replace(" （", "（");
}

const tokyo = (iso: string) => DateTime.fromISO(iso, { setZone: true }).setZone(TIME_ZONE);

function sinceText(since: string, now: string): string {
  const days = Math.round(tokyo(now).startOf("day").diff(tokyo(since).startOf("day"), "days").days);
  return days <= 0 ? `今回の検査で初めて見つかりました（${jaDate(tokyo(since))}）` : `${jaDate(tokyo(since))}から（${days} 日間）`;
}

function md(text: string): string {
  return text.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`);
}

const link = (url: string) => `<${url}>`;

const PAGES_SHOWN = 10;

function pageLines(pages: PageRef[], totalPages: number, siteOrigin?: string): string[] {
  const show = (p: PageRef) => {
    const where = siteOrigin ? `[${p.path}](${new URL(p.path, siteOrigin).href})` : `\`${p.path}\``;
    return `  - ${p.title ? `${md(p.title)} — ` : ""}${where}`;
  };
  // Header/footer links are on (nearly) every page: say so instead of making editors hunt.
  const common = pages.length > 5 && pages.length >= totalPages * 0.8;
  const shown = common ? 3 : PAGES_SHOWN;
  const lines = pages.slice(0, shown).map(show);
  if (pages.length > shown) lines.push(`  - ほか ${pages.length - shown} ページ`);
  if (common) {
    lines.unshift("  - ほぼすべてのページに出ているリンクです。ヘッダー・フッターなど、サイト設定（_data/site.json）のリンクを確認してください");
  }
  return lines;
}

export interface ReportOptions {
  /** Public origin, to link the pages in the report. */
  siteOrigin?: string;
  skipFile?: string;
}

export function renderReport(summary: RunSummary, options: ReportOptions = {}): string {
  const { run, entries, recovered, now } = summary;
  const newCount = entries.filter((e) => e.isNew).length;
  const out: string[] = [];
  out.push(`# 外部リンクの検査結果（${jaDate(tokyo(now))}）`, "");
  out.push(`- 検査日時: ${jaDateTime(tokyo(now))}`);
  out.push(`- 検査したリンク: ${run.links} 件（${run.hosts} サイト、${run.pagesWithLinks} ページに掲載）`);
  out.push(
    `- リンク切れ: **${entries.length} 件**${newCount ? `（うち新規 ${newCount} 件）` : ""}／復旧: ${recovered.length} 件／検査対象外: ${run.skipped.length} 件`,
    "",
  );

  if (entries.length === 0) {
    out.push("リンク切れはありません。", "");
  } else {
    out.push(`## リンク切れ（${entries.length} 件）`, "");
    entries.forEach((e, i) => {
      out.push(`### ${i + 1}. ${e.isNew ? "【新規】 " : ""}${link(e.url)}`, "");
      out.push(`- 状態: ${describeFailure(e.failure)}${e.hostDown ? "（同じサイトへの接続が続けて失敗したため、このリンクへのアクセスは省略しました）" : ""}`);
      out.push(`- いつから: ${sinceText(e.since, now)}`);
      out.push(`- 掲載ページ（${e.pages.length}）:`);
      out.push(...pageLines(e.pages, run.totalPages, options.siteOrigin), "");
    });
  }

  if (recovered.length > 0) {
    const why = { ok: "リンク先が表示できるようになりました", skipped: "検査対象外にしました", removed: "ページからリンクがなくなりました" };
    out.push(`## 復旧（${recovered.length} 件）`, "");
    for (const r of recovered) out.push(`- 復旧: ${link(r.url)} — ${jaDate(tokyo(r.since))}から切れていましたが、${why[r.reason]}`);
    out.push("");
  }

  if (run.skipped.length > 0) {
    out.push(`## 検査対象外（${run.skipped.length} 件）`, "");
    out.push(
      `除外リスト（${options.skipFile ?? "ops/linkcheck-skip.txt"}）に当たるリンクと、相手サイトのボット対策などで自動では確認できなかったリンクです。必要に応じて手で確認してください。`,
      "",
    );
    const shown = run.skipped.slice(0, 50);
    for (const s of shown) out.push(`- ${link(s.url)}${s.reason === "unverified" ? "（自動では確認できず）" : ""}`);
    if (run.skipped.length > shown.length) out.push(`- ほか ${run.skipped.length - shown.length} 件`);
    out.push("");
  }

  if (entries.length > 0) {
    out.push("## 対処のしかた", "");
    out.push("1. リンク先をブラウザで開いて確かめます（一時的な障害なら翌日の検査で「復旧」になります）。");
    out.push("2. 移転していれば、掲載ページを編集画面（/admin/）で開き、新しい URL に直して公開を申請します。なくなっていればリンクを外します。");
    out.push(
      "3. ブラウザでは開けるのに検査で失敗し続けるサイト（クローラーを拒否するサイト）は、開発担当に ops/linkcheck-skip.txt への追加を依頼してください。",
      "",
    );
  }
  return `${out.join("\n").trimEnd()}\n`;
}

// ---------------------------------------------------------------------------------------------
// GitHub issue: exactly one open issue labelled `link-check` while anything is broken

export interface GitHubConfig {
  apiUrl: string;
  /** "owner/name" */
  repository: string;
  token: string;
  label: string;
  /** The workflow run (where the report artifact is), linked from the issue. */
  runUrl?: string;
}

export function gitHubConfigFromEnv(env: NodeJS.ProcessEnv = process.env, label = "link-check"): GitHubConfig {
  const repository = env.GITHUB_REPOSITORY;
  const token = env.GITHUB_TOKEN;
  if (!repository || !token) {
    throw new Error("--github-issue には GITHUB_REPOSITORY と GITHUB_TOKEN が必要です / GITHUB_REPOSITORY and GITHUB_TOKEN must be set");
  }
  const runUrl = env.GITHUB_SERVER_URL && env.GITHUB_RUN_ID ? `${env.GITHUB_SERVER_URL}/${repository}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
  return { apiUrl: (env.GITHUB_API_URL ?? "https://api.github.com").replace(/\/+$/, ""), repository, token, label, runUrl };
}

interface Issue {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  pull_request?: unknown;
}

export type IssueAction = "opened" | "updated" | "closed" | "none";

export interface IssueSync {
  action: IssueAction;
  number?: number;
  /** Extra open issues with the label, closed as duplicates. */
  closedDuplicates: number[];
}

/** GitHub's limit is 65,536 characters; leave room for the note. */
const MAX_BODY = 60_000;

function issueBody(report: string): string {
  if (report.length <= MAX_BODY) return report;
  // Cut at a line end so a Markdown link is never left half open.
  return `${report.slice(0, report.lastIndexOf("\n", MAX_BODY))}\n\n…（長すぎるため省略しました。全文はワークフロー実行の成果物 linkcheck-report にあります）\n`;
}

export interface IssueInput {
  brokenCount: number;
  newlyBroken: string[];
  report: string;
}

export async function syncIssue(cfg: GitHubConfig, input: IssueInput): Promise<IssueSync> {
  const label = encodeURIComponent(cfg.label);
  const open = (await githubJson<Issue[]>(cfg, "GET", `/issues?state=open&labels=${label}&per_page=100`))
    .filter((i) => !i.pull_request)
    .sort((a, b) => a.number - b.number);
  const [issue, ...duplicates] = open;
  const title = `外部リンク切れ（${input.brokenCount} 件）`;
  const body = issueBody(input.report) + (cfg.runUrl ? `\n---\n検査の実行記録（レポートの成果物あり）: ${cfg.runUrl}\n` : "");
  const closedDuplicates: number[] = [];

  const close = async (n: number, comment: string) => {
    await githubJson(cfg, "POST", `/issues/${n}/comments`, { body: comment });
    await githubJson(cfg, "PATCH", `/issues/${n}`, { state: "closed", state_reason: "completed" });
  };
  if (issue) {
    for (const d of duplicates) {
      await close(d.number, `#${issue.number} にまとめます（外部リンク検査の issue は 1 件だけ開いておきます）。`);
      closedDuplicates.push(d.number);
    }
  }

  if (input.brokenCount > 0) {
    if (!issue) {
      await ensureLabel(cfg, { name: cfg.label, color: "d93f0b", description: "外部リンク切れ（夜間の検査が自動で開閉） / broken external links, opened by the nightly check" });
      const created = await githubJson<Issue>(cfg, "POST", "/issues", { title, body, labels: [cfg.label] });
      return { action: "opened", number: created.number, closedDuplicates };
    }
    await githubJson(cfg, "PATCH", `/issues/${issue.number}`, { title, body });
    // Editing a body notifies nobody; a comment does, so post one only when something new broke.
    if (input.newlyBroken.length > 0) {
      await githubJson(cfg, "POST", `/issues/${issue.number}/comments`, {
        body: `新たに ${input.newlyBroken.length} 件のリンク切れが見つかりました。\n\n${input.newlyBroken.map((u) => `- <${u}>`).join("\n")}`,
      });
    }
    return { action: "updated", number: issue.number, closedDuplicates };
  }
  if (!issue) return { action: "none", closedDuplicates };
  await githubJson(cfg, "PATCH", `/issues/${issue.number}`, { title: "外部リンク切れ（すべて復旧）", body });
  await close(issue.number, "すべての外部リンクが復旧したため閉じます。新たなリンク切れが見つかれば、この検査が新しい issue を開きます。");
  return { action: "closed", number: issue.number, closedDuplicates };
}
