/**
 * OAuth gateway for Decap CMS's GitHub backend (`backend.base_url`), as a web-standard
 * `fetch(request, env)` handler: Cloudflare Workers use the default export as is; Deno Deploy,
 * Vercel Edge and Node (node-server.ts) call handleRequest. See docs/oauth-gateway.md.
 *
 *   GET /auth      → 302 to GitHub's authorize page, with a fresh state bound to this browser
 *   GET /callback  → state checked, code exchanged for a token server-side, token handed to the
 *                    CMS window by postMessage to ALLOWED_ORIGIN only
 *
 * Uses only web APIs (fetch, crypto, URL) so it runs unchanged on every platform.
 */
import { parseConfig, type GatewayConfig, type GatewayEnv } from "./config.ts";
import { authorizeUrl, exchangeCode, safeErrorCode } from "./github.ts";
import { handshakePage, plainPage, type GatewayPage, type Message } from "./pages.ts";
import { clearStateCookie, newState, readStateCookie, sameState, stateCookie } from "./state.ts";

export type { GatewayEnv } from "./config.ts";

const PROVIDER = "github";

/** On every response: nothing cached (tokens, one-time states), no referrer leaks the code. */
const COMMON_HEADERS: Record<string, string> = {
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "cross-origin-resource-policy": "same-origin",
  // Stated explicitly because it must stay so: with COOP same-origin the popup would lose
  // window.opener and could never hand the token back.
  "cross-origin-opener-policy": "unsafe-none",
  "strict-transport-security": "max-age=63072000",
};

function pageResponse(status: number, page: GatewayPage, extra: Record<string, string> = {}): Response {
  return new Response(page.html, {
    status,
    headers: { ...COMMON_HEADERS, "content-type": "text/html; charset=utf-8", "content-security-policy": page.csp, ...extra },
  });
}

const RETRY: Message = {
  ja: "このウィンドウを閉じて、編集画面（/admin/）の「GitHub でログインする」からもう一度お試しください。",
  en: "Close this window and sign in again from the editing screen (/admin/).",
};

/** Shown in the popup and posted to the CMS, which shows `message` on its login screen. */
async function errorPage(config: GatewayConfig, status: number, reason: Message, headers: Record<string, string> = {}): Promise<Response> {
  const payload = JSON.stringify({ message: `${reason.ja} / ${reason.en}` });
  const page = await handshakePage(
    config.allowedOrigin,
    `authorization:${PROVIDER}:error:${payload}`,
    { ja: "ログインできませんでした", en: "Sign-in failed" },
    [reason, RETRY],
  );
  return pageResponse(status, page, headers);
}

function startSignIn(config: GatewayConfig, url: URL): Response {
  const provider = url.searchParams.get("provider");
  if (provider !== null && provider !== PROVIDER) {
    return pageResponse(
      400,
      plainPage({ ja: "対応していないログイン方法です", en: "Unsupported provider" }, [
        { ja: "このゲートウェイは GitHub でのログインだけに対応しています。", en: "This gateway only signs in with GitHub." },
      ]),
    );
  }
  // Decap's ?scope= is ignored on purpose: the gateway, not the page, decides what is granted.
  const state = newState();
  return new Response(null, {
    status: 302,
    headers: {
      ...COMMON_HEADERS,
      location: authorizeUrl(config, callbackUrl(url), state),
      "set-cookie": stateCookie(state),
    },
  });
}

/** Must equal the OAuth App's registered callback URL; GitHub checks both steps against it. */
function callbackUrl(url: URL): string {
  return new URL("/callback", url.origin).href;
}

async function finishSignIn(config: GatewayConfig, request: Request, url: URL): Promise<Response> {
  // Single use: whatever happens next, the browser forgets this state.
  const clear = { "set-cookie": clearStateCookie() };
  const state = url.searchParams.get("state") ?? undefined;
  if (!sameState(state, readStateCookie(request.headers.get("cookie")))) {
    return errorPage(
      config,
      400,
      {
        ja: "ログインの確認に失敗しました（開始から時間が経ちすぎたか、別の画面で始めたログインです）。",
        en: "The sign-in could not be verified (it expired, or was started in another window).",
      },
      clear,
    );
  }

  const githubError = url.searchParams.get("error");
  if (githubError !== null) {
    const code = safeErrorCode(githubError);
    const reason =
      code === "access_denied"
        ? { ja: "GitHub での承認がキャンセルされました。", en: "Authorisation was cancelled on GitHub." }
        : { ja: `GitHub がログインを拒否しました（${code}）。`, en: `GitHub refused the sign-in (${code}).` };
    return errorPage(config, code === "access_denied" ? 403 : 502, reason, clear);
  }

  const code = url.searchParams.get("code");
  if (!code) {
    return errorPage(config, 400, { ja: "GitHub からの応答に認可コードがありません。", en: "GitHub's response had no authorisation code." }, clear);
  }

  const result = await exchangeCode(config, code, callbackUrl(url));
  if (!result.ok) {
    const reason =
      result.reason === "unreachable"
        ? { ja: "GitHub に接続できませんでした。しばらくしてからお試しください。", en: "Could not reach GitHub. Please try again later." }
        : { ja: `GitHub がログインを拒否しました（${result.error}）。`, en: `GitHub refused the sign-in (${result.error}).` };
    return errorPage(config, 502, reason, clear);
  }

  const payload = JSON.stringify({ token: result.token, provider: PROVIDER });
  const page = await handshakePage(
    config.allowedOrigin,
    `authorization:${PROVIDER}:success:${payload}`,
    { ja: "ログインしています", en: "Signing you in" },
    [{ ja: "編集画面に戻ります。このウィンドウは自動的に閉じます。", en: "Returning to the editing screen; this window closes by itself." }],
    { progress: true },
  );
  return pageResponse(200, page, clear);
}

const configCache = new WeakMap<object, ReturnType<typeof parseConfig>>();

function configFor(env: GatewayEnv): ReturnType<typeof parseConfig> {
  let result = configCache.get(env);
  if (!result) {
    result = parseConfig(env);
    // Once per environment object, so logs are not flooded; values are never logged.
    if (!result.ok) console.error(`OAuth gateway misconfigured:\n${result.problems.map((p) => `  - ${p}`).join("\n")}`);
    configCache.set(env, result);
  }
  return result;
}

export async function handleRequest(request: Request, env: GatewayEnv): Promise<Response> {
  const configResult = configFor(env);
  if (!configResult.ok) {
    return pageResponse(
      500,
      plainPage({ ja: "ログイン用ゲートウェイの設定に誤りがあります", en: "The sign-in gateway is misconfigured" }, [
        { ja: "管理者に連絡してください。", en: "Please contact the site administrators." },
        ...configResult.details,
      ]),
    );
  }
  const config = configResult.config;
  const url = new URL(request.url);
  const known = url.pathname === "/auth" || url.pathname === "/callback";
  if (!known) {
    return pageResponse(404, plainPage({ ja: "ページが見つかりません", en: "Not found" }, [{ ja: "このアドレスには何もありません。", en: "Nothing here." }]));
  }
  if (request.method !== "GET") {
    return pageResponse(
      405,
      plainPage({ ja: "この操作はできません", en: "Method not allowed" }, [{ ja: "GET のみ受け付けます。", en: "Only GET is accepted." }]),
      { allow: "GET" },
    );
  }
  return url.pathname === "/auth" ? startSignIn(config, url) : finishSignIn(config, request, url);
}

export default { fetch: handleRequest };
