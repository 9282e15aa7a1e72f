/**
 * Configuration of the OAuth gateway, read from the platform's environment (Workers bindings,
 * process.env, …). Every problem is reported at once, in Japanese and English, and never with the
 * client secret's value.
 */

/** Whatever the platform passes: Workers bindings may hold non-strings, which are ignored. */
export type GatewayEnv = Readonly<Record<string, unknown>>;

export interface GatewayConfig {
  clientId: string;
  clientSecret: string;
  /** The only origin the token is ever posted to: the site whose /admin/ opens the popup. */
  allowedOrigin: string;
  /** https://github.com, or a GitHub Enterprise Server (or a test fake); no trailing slash. */
  githubBaseUrl: string;
  scope: string;
}

export const DEFAULT_GITHUB_BASE_URL = "https://github.com";
/** What the brief asked for; SCOPE=repo is enough for Decap and narrower (see docs). */
export const DEFAULT_SCOPE = "repo,user";

/** One problem, in both languages: joined for logs, shown as two paragraphs on the error page. */
export interface ConfigProblem {
  ja: string;
  en: string;
}

export function formatProblem(problem: ConfigProblem): string {
  return `${problem.ja} / ${problem.en}`;
}

export class GatewayConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      "OAuth ゲートウェイの設定に誤りがあるため、起動できません。 / The OAuth gateway is misconfigured and will not serve:\n" +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "GatewayConfigError";
    this.problems = problems;
  }
}

function read(env: GatewayEnv, key: string): string | undefined {
  const value = env[key];
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** https everywhere; plain http only on loopback, for local trials and tests. */
export function isAcceptableScheme(url: URL): boolean {
  return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));
}

function parseOrigin(key: string, value: string, problems: ConfigProblem[]): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push({ ja: `${key}「${value}」は URL ではありません`, en: `${key} is not a URL` });
    return undefined;
  }
  // postMessage and Decap compare origins exactly: a path or trailing slash would never match.
  if (url.origin !== value) {
    problems.push({
      ja: `${key}「${value}」はオリジン（例: https://iot-lab-portal.example.jp、末尾の / やパスなし）で指定してください`,
      en: `${key} must be an exact origin such as https://iot-lab-portal.example.jp (no path, no trailing slash)`,
    });
    return undefined;
  }
  if (!isAcceptableScheme(url)) {
    problems.push({ ja: `${key} は https にしてください（http は localhost のみ）`, en: `${key} must use https (http only on loopback)` });
    return undefined;
  }
  return url.origin;
}

function parseBaseUrl(value: string, problems: ConfigProblem[]): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push({ ja: `GITHUB_BASE_URL「${value}」は URL ではありません`, en: "GITHUB_BASE_URL is not a URL" });
    return undefined;
  }
  if (!isAcceptableScheme(url) || url.search || url.hash || url.username || url.password) {
    problems.push({
      ja: "GITHUB_BASE_URL は https の URL（クエリ等なし）にしてください",
      en: "GITHUB_BASE_URL must be a plain https URL (http only on loopback)",
    });
    return undefined;
  }
  return url.href.replace(/\/+$/, "");
}

/** Scopes as GitHub takes them: names separated by commas or spaces. */
const SCOPE_PATTERN = /^[a-z0-9:_]+(?:[ ,]+[a-z0-9:_]+)*$/;

export type ConfigResult = { ok: true; config: GatewayConfig } | { ok: false; problems: string[]; details: ConfigProblem[] };

export function parseConfig(env: GatewayEnv): ConfigResult {
  const problems: ConfigProblem[] = [];
  const missing = (key: string) => problems.push({ ja: `${key} が設定されていません`, en: `${key} is not set` });

  const clientId = read(env, "GITHUB_CLIENT_ID");
  if (!clientId) missing("GITHUB_CLIENT_ID");
  else if (!/^[\w.-]{1,100}$/.test(clientId)) {
    problems.push({ ja: "GITHUB_CLIENT_ID の形式が正しくありません", en: "GITHUB_CLIENT_ID has an unexpected format" });
  }

  const clientSecret = read(env, "GITHUB_CLIENT_SECRET");
  if (!clientSecret) missing("GITHUB_CLIENT_SECRET");

  const originValue = read(env, "ALLOWED_ORIGIN");
  let allowedOrigin: string | undefined;
  if (!originValue) missing("ALLOWED_ORIGIN");
  else allowedOrigin = parseOrigin("ALLOWED_ORIGIN", originValue, problems);

  const githubBaseUrl = parseBaseUrl(read(env, "GITHUB_BASE_URL") ?? DEFAULT_GITHUB_BASE_URL, problems);

  const scope = read(env, "SCOPE") ?? DEFAULT_SCOPE;
  if (!SCOPE_PATTERN.test(scope)) {
    problems.push({ ja: "SCOPE は「repo,user」のような GitHub のスコープ名の並びにしてください", en: "SCOPE must be GitHub scope names such as repo,user" });
  }

  if (problems.length || !clientId || !clientSecret || !allowedOrigin || !githubBaseUrl) {
    return { ok: false, problems: problems.map(formatProblem), details: problems };
  }
  return { ok: true, config: { clientId, clientSecret, allowedOrigin, githubBaseUrl, scope } };
}

export function loadConfig(env: GatewayEnv): GatewayConfig {
  const result = parseConfig(env);
  if (!result.ok) throw new GatewayConfigError(result.problems);
  return result.config;
}
