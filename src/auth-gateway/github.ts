/** GitHub's OAuth web flow endpoints (github.com or GitHub Enterprise Server, same paths). */
import type { GatewayConfig } from "./config.ts";

export function authorizeUrl(config: GatewayConfig, redirectUri: string, state: string): string {
  const url = new URL(`${config.githubBaseUrl}/login/oauth/authorize`);
  url.searchParams.set("client_id", config.clientId);
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("scope", config.scope);
  url.searchParams.set("state", state);
  // Editors are named people with existing accounts; no sign-up detour inside the popup.
  url.searchParams.set("allow_signup", "false");
  return url.href;
}

export type ExchangeResult =
  | { ok: true; token: string }
  | { ok: false; reason: "unreachable" }
  | { ok: false; reason: "rejected"; error: string };

const EXCHANGE_TIMEOUT_MS = 10_000;

/** GitHub's error codes are snake_case words; anything else is not echoed anywhere. */
export function safeErrorCode(value: unknown): string {
  return typeof value === "string" && /^[a-z_]{1,64}$/.test(value) ? value : "unknown_error";
}

/**
 * Trades the code for a token, server to server: the client secret goes only in this POST body,
 * never into a URL, a redirect or a page.
 */
export async function exchangeCode(config: GatewayConfig, code: string, redirectUri: string): Promise<ExchangeResult> {
  let response: Response;
  try {
    response = await fetch(`${config.githubBaseUrl}/login/oauth/access_token`, {
      method: "POST",
      headers: {
        accept: "application/json",
        "content-type": "application/x-www-form-urlencoded",
        "user-agent": "iot-lab-portal-oauth-gateway",
      },
      body: new URLSearchParams({
        client_id: config.clientId,
        client_secret: config.clientSecret,
        code,
        redirect_uri: redirectUri,
      }),
      // Not followed: the secret goes to this URL only. ("manual", as Workers reject "error".)
      redirect: "manual",
      signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS),
    });
  } catch {
    return { ok: false, reason: "unreachable" };
  }
  let data: unknown;
  try {
    data = await response.json();
  } catch {
    return { ok: false, reason: "unreachable" };
  }
  const record = typeof data === "object" && data !== null ? (data as Record<string, unknown>) : {};
  // GitHub reports bad codes etc. as 200 with {error}; a 4xx/5xx without it is an outage.
  if (record.error !== undefined) return { ok: false, reason: "rejected", error: safeErrorCode(record.error) };
  if (!response.ok) return { ok: false, reason: "unreachable" };
  const token = record.access_token;
  if (typeof token !== "string" || !/^[\w.-]{1,512}$/.test(token)) return { ok: false, reason: "rejected", error: "invalid_token_response" };
  return { ok: true, token };
}
