import { createHash } from "node:crypto";
import http from "node:http";
import vm from "node:vm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { handleRequest } from "../../../src/auth-gateway/handler.ts";
import { startGatewayServer, type GatewayServer } from "../../../src/auth-gateway/node-server.ts";
import { STATE_COOKIE } from "../../../src/auth-gateway/state.ts";
import { startFakeGitHub, type FakeGitHub } from "./fake-github.ts";

const SITE = "https://iot-lab-portal.example.jp";

let github: FakeGitHub;
let gateway: GatewayServer;
/** Every response the gateway gave, headers and body, to prove the secret never leaves it. */
const seen: string[] = [];

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    GITHUB_CLIENT_ID: github.clientId,
    GITHUB_CLIENT_SECRET: github.clientSecret,
    ALLOWED_ORIGIN: SITE,
    GITHUB_BASE_URL: github.url,
    ...extra,
  };
}

async function get(url: string, init: RequestInit = {}): Promise<{ response: Response; body: string }> {
  const response = await fetch(url, { redirect: "manual", ...init });
  const body = await response.text();
  seen.push(JSON.stringify([...response.headers]), body);
  return { response, body };
}

/** /auth as the popup opens it, then GitHub's (fake) consent: returns the callback URL and cookie. */
async function authorize(base = gateway.url): Promise<{ authorizeUrl: URL; cookie: string; state: string; callback: string }> {
  const { response } = await get(`${base}/auth?provider=github&site_id=iot-lab-portal.example.jp&scope=repo`);
  expect(response.status).toBe(302);
  const authorizeUrl = new URL(response.headers.get("location") ?? "");
  const setCookie = response.headers.getSetCookie()[0] ?? "";
  const cookie = setCookie.split(";")[0] ?? "";
  const consent = await fetch(authorizeUrl, { redirect: "manual" });
  const callback = consent.headers.get("location") ?? "";
  return { authorizeUrl, cookie, state: authorizeUrl.searchParams.get("state") ?? "", callback };
}

function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => {
    expect(m[1]).toBe(""); // no src=, no nonce: the hash is the only way in
    return m[2] ?? "";
  });
}

function scriptHashes(csp: string): string[] {
  const scriptSrc = csp.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src ")) ?? "";
  return scriptSrc.split(/\s+/).slice(1);
}

interface Posted {
  data: string;
  targetOrigin: string;
}

/**
 * Runs the page's script against a stand-in opener, replaying Decap's side of the handshake:
 * echo "authorizing:github" (from `echoOrigin`) and record what the popup posts.
 */
function runHandshake(script: string, echoOrigin = SITE): Posted[] {
  const posted: Posted[] = [];
  const listeners: ((event: unknown) => void)[] = [];
  const opener = { postMessage: (data: string, targetOrigin: string) => posted.push({ data, targetOrigin }) };
  const window = {
    opener,
    addEventListener: (_type: string, fn: (event: unknown) => void) => listeners.push(fn),
    removeEventListener: (_type: string, fn: (event: unknown) => void) => listeners.splice(listeners.indexOf(fn), 1),
  };
  const document = { getElementById: () => ({ hidden: false }) };
  vm.runInNewContext(script, { window, document, setTimeout: () => 0, clearTimeout: () => {} });
  for (const fn of [...listeners]) {
    // A stranger first (another window, then the right origin from a non-opener): both ignored.
    fn({ source: {}, origin: echoOrigin, data: "authorizing:github" });
    fn({ source: opener, origin: "https://evil.example", data: "authorizing:github" });
    fn({ source: opener, origin: echoOrigin, data: "authorizing:github" });
  }
  return posted;
}

beforeAll(async () => {
  github = await startFakeGitHub();
  gateway = await startGatewayServer({ env: env() });
});
afterAll(async () => {
  await gateway?.close();
  await github?.close();
});
beforeEach(() => {
  github.mode = { authorize: "approve", token: "ok" };
});

describe("GET /auth", () => {
  it("redirects to GitHub's authorize page with client_id, scope, a fresh state and our callback, never the secret", async () => {
    const { response, body } = await get(`${gateway.url}/auth?provider=github&site_id=x&scope=public_repo`);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location") ?? "");
    expect(location.origin + location.pathname).toBe(`${github.url}/login/oauth/authorize`);
    expect(location.searchParams.get("client_id")).toBe(github.clientId);
    // The gateway's scope, not the one the page asked for.
    expect(location.searchParams.get("scope")).toBe("repo,user");
    expect(location.searchParams.get("redirect_uri")).toBe(`${gateway.url}/callback`);
    const state = location.searchParams.get("state") ?? "";
    expect(state).toMatch(/^[\w-]{43}$/);
    expect([...location.searchParams.keys()]).not.toContain("client_secret");
    expect(JSON.stringify([...response.headers]) + body).not.toContain(github.clientSecret);
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("binds the state to the browser with a short-lived __Host- cookie (HttpOnly, Secure, SameSite=Lax)", async () => {
    const { response } = await get(`${gateway.url}/auth`);
    const cookies = response.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    const [pair, ...attributes] = (cookies[0] ?? "").split(";").map((s) => s.trim());
    const state = new URL(response.headers.get("location") ?? "").searchParams.get("state");
    expect(pair).toBe(`${STATE_COOKIE}=${state}`);
    expect(attributes).toEqual(expect.arrayContaining(["Path=/", "HttpOnly", "Secure", "SameSite=Lax", "Max-Age=600"]));
    expect(attributes.some((a) => a.startsWith("Domain"))).toBe(false);
  });

  it("gives every sign-in its own state", async () => {
    const states = new Set<string>();
    for (let i = 0; i < 5; i++) states.add((await authorize()).state);
    expect(states.size).toBe(5);
  });

  it("refuses providers other than github", async () => {
    const { response, body } = await get(`${gateway.url}/auth?provider=gitlab`);
    expect(response.status).toBe(400);
    expect(body).toContain("GitHub でのログインだけ");
  });

  it("uses SCOPE when set", async () => {
    const custom = await startGatewayServer({ env: env({ SCOPE: "repo" }) });
    try {
      const { authorizeUrl } = await authorize(custom.url);
      expect(authorizeUrl.searchParams.get("scope")).toBe("repo");
    } finally {
      await custom.close();
    }
  });
});

describe("GET /callback", () => {
  it("exchanges the code server-to-server with the secret and hands the token to ALLOWED_ORIGIN only", async () => {
    const before = github.tokenRequests.length;
    const { cookie, callback } = await authorize();
    expect(new URL(callback).origin + new URL(callback).pathname).toBe(`${gateway.url}/callback`);
    const { response, body } = await get(callback, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");

    // The fake GitHub got the secret, in the POST body, with the same redirect_uri.
    expect(github.tokenRequests).toHaveLength(before + 1);
    const exchange = github.tokenRequests.at(-1)!;
    expect(exchange.body.get("client_secret")).toBe(github.clientSecret);
    expect(exchange.body.get("client_id")).toBe(github.clientId);
    expect(exchange.body.get("redirect_uri")).toBe(`${gateway.url}/callback`);
    expect(exchange.url).not.toContain("secret");
    expect(exchange.headers.accept).toBe("application/json");

    // Exactly one inline script, allowed by its hash and nothing else.
    const scripts = inlineScripts(body);
    expect(scripts).toHaveLength(1);
    const script = scripts[0]!;
    const csp = response.headers.get("content-security-policy") ?? "";
    const hash = createHash("sha256").update(script, "utf8").digest("base64");
    expect(scriptHashes(csp)).toEqual([`'sha256-${hash}'`]);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/unsafe-inline|nonce-|\*/);

    // The token is in the script and nowhere else on the page; the secret is nowhere.
    expect(script).toContain(github.token);
    expect(body.replace(script, "")).not.toContain(github.token);
    expect(body).not.toContain(github.clientSecret);

    // Decap's handshake: everything goes to ALLOWED_ORIGIN, and only after its echo.
    expect(runHandshake(script)).toEqual([
      { data: "authorizing:github", targetOrigin: SITE },
      { data: `authorization:github:success:${JSON.stringify({ token: github.token, provider: "github" })}`, targetOrigin: SITE },
    ]);
    // An opener on another origin never gets past the first, origin-restricted, message.
    expect(runHandshake(script, "https://evil.example")).toEqual([{ data: "authorizing:github", targetOrigin: SITE }]);

    expect(response.headers.getSetCookie()).toEqual([expect.stringMatching(new RegExp(`^${STATE_COOKIE}=; Max-Age=0;`))]);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("cross-origin-opener-policy")).toBe("unsafe-none");
  });

  it.each([
    ["without the state cookie", (c: { cookie: string; callback: string }) => ({ url: c.callback, cookie: "" })],
    ["with another browser's state cookie", (c: { cookie: string; callback: string }) => ({ url: c.callback, cookie: `${STATE_COOKIE}=${"A".repeat(43)}` })],
    ["without the state parameter", (c: { cookie: string; callback: string }) => {
      const url = new URL(c.callback);
      url.searchParams.delete("state");
      return { url: url.href, cookie: c.cookie };
    }],
    ["with an empty state and empty cookie", (c: { cookie: string; callback: string }) => {
      const url = new URL(c.callback);
      url.searchParams.set("state", "");
      return { url: url.href, cookie: `${STATE_COOKIE}=` };
    }],
  ])("refuses a callback %s (400) and never exchanges the code", async (_name, tamper) => {
    const flow = await authorize();
    const before = github.tokenRequests.length;
    const { url, cookie } = tamper(flow);
    const { response, body } = await get(url, { headers: cookie ? { cookie } : {} });
    expect(response.status).toBe(400);
    expect(github.tokenRequests).toHaveLength(before);
    expect(body).toContain("ログインの確認に失敗しました");
    expect(body).toContain("The sign-in could not be verified");
    const [script] = inlineScripts(body);
    const posted = runHandshake(script ?? "");
    expect(posted.every((p) => p.targetOrigin === SITE)).toBe(true);
    expect(posted.at(-1)?.data).toMatch(/^authorization:github:error:\{"message":"ログインの確認に失敗しました/);
    expect(scriptHashes(response.headers.get("content-security-policy") ?? "")).toEqual([
      `'sha256-${createHash("sha256").update(script ?? "").digest("base64")}'`,
    ]);
  });

  it("posts GitHub's refusal (access denied) to the CMS, origin-restricted", async () => {
    github.mode.authorize = "deny";
    const { cookie, callback } = await authorize();
    const { response, body } = await get(callback, { headers: { cookie } });
    expect(response.status).toBe(403);
    const posted = runHandshake(inlineScripts(body)[0] ?? "");
    expect(posted.map((p) => p.targetOrigin)).toEqual([SITE, SITE]);
    const message = JSON.parse((posted[1]?.data ?? "").replace(/^authorization:github:error:/, "")) as { message: string };
    expect(message.message).toBe("GitHub での承認がキャンセルされました。 / Authorisation was cancelled on GitHub.");
  });

  it.each([
    ["an expired or reused code", "ok", "bad_verification_code"],
    ["GitHub answering 503", "server-error", "GitHub に接続できませんでした"],
    ["GitHub answering HTML", "not-json", "GitHub に接続できませんでした"],
  ] as const)("reports %s to the CMS (502)", async (_name, mode, expected) => {
    const { cookie, callback } = await authorize();
    if (mode === "ok") await fetch(callback, { headers: { cookie } }); // spends the code
    github.mode.token = mode;
    const { response, body } = await get(callback, { headers: { cookie } });
    expect(response.status).toBe(502);
    const posted = runHandshake(inlineScripts(body)[0] ?? "");
    expect(posted.map((p) => p.targetOrigin)).toEqual([SITE, SITE]);
    expect(posted[1]?.data).toMatch(/^authorization:github:error:/);
    expect(posted[1]?.data).toContain(expected);
    expect(body).not.toContain(github.token);
  });

  it("reports an unreachable GitHub (502)", async () => {
    const closed = await startFakeGitHub();
    await closed.close();
    const offline = await startGatewayServer({ env: env({ GITHUB_BASE_URL: closed.url }) });
    try {
      const { state, cookie } = await authorize();
      const { response, body } = await get(`${offline.url}/callback?code=abc&state=${state}`, { headers: { cookie } });
      expect(response.status).toBe(502);
      expect(body).toContain("GitHub に接続できませんでした");
    } finally {
      await offline.close();
    }
  });

  it("never echoes what the callback URL says into the page", async () => {
    const { cookie, state } = await authorize();
    const evil = "</script><script>alert(1)</script>";
    const { response, body } = await get(
      `${gateway.url}/callback?state=${state}&error=${encodeURIComponent(evil)}&error_description=${encodeURIComponent(evil)}`,
      { headers: { cookie } },
    );
    expect(response.status).toBe(502);
    expect(body).not.toContain("alert(1)");
    expect(body).toContain("unknown_error");
    expect(inlineScripts(body)).toHaveLength(1);
  });
});

describe("other requests", () => {
  it.each(["/", "/auth/", "/callback/x", "/admin/", "/favicon.ico"])("answers 404 for %s", async (path) => {
    const { response, body } = await get(`${gateway.url}${path}`);
    expect(response.status).toBe(404);
    expect(body).toContain("ページが見つかりません");
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  });

  it.each(["POST", "PUT", "DELETE", "HEAD", "OPTIONS"])("answers 405 to %s", async (method) => {
    const { response } = await get(`${gateway.url}/callback`, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET");
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("runs as a plain fetch(request, env) handler, as on Workers", async () => {
    const response = await handleRequest(new Request("https://cms-auth.example.jp/auth"), env());
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location") ?? "");
    expect(location.searchParams.get("redirect_uri")).toBe("https://cms-auth.example.jp/callback");
  });

  it("builds the callback URL on PUBLIC_URL, not on the Host header", async () => {
    const proxied = await startGatewayServer({ env: env(), publicUrl: "https://cms-auth.example.jp" });
    try {
      expect(proxied.url).toBe("https://cms-auth.example.jp");
      // fetch() may not set Host; node:http can, as a forged request would.
      const location = await new Promise<string>((resolve, reject) => {
        http
          .get(`${proxied.localUrl}/auth`, { headers: { host: "evil.example" } }, (res) => {
            res.resume();
            resolve(res.headers.location ?? "");
          })
          .on("error", reject);
      });
      expect(new URL(location).searchParams.get("redirect_uri")).toBe("https://cms-auth.example.jp/callback");
    } finally {
      await proxied.close();
    }
  });
});

describe("the client secret", () => {
  it("appeared in no response, header or body, of any test above", () => {
    expect(seen.length).toBeGreaterThan(20);
    for (const text of seen) expect(text).not.toContain(github.clientSecret);
  });
});
