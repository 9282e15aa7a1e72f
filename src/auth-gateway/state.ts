/**
 * The OAuth `state`, bound to the browser that started the sign-in by a cookie.
 *
 * Why a cookie rather than an HMAC-signed state: a signed state only proves that this gateway
 * issued it, not that the browser now at /callback is the one that went to /auth. An attacker
 * could start a flow, stop at the callback and make an editor's browser finish it with the
 * attacker's code (login CSRF: the editor would then work, unaware, under the attacker's account).
 * The cookie closes that, needs no server storage (serverless) and no extra key to keep and rotate.
 * It is random, single-use (cleared at /callback) and lives 10 minutes. `__Host-` pins it to this
 * host over https, HttpOnly keeps it from scripts, SameSite=Lax still sends it on the top-level
 * redirect back from GitHub.
 */

export const STATE_COOKIE = "__Host-decap-oauth-state";
export const STATE_MAX_AGE_SECONDS = 600;

/** 256 random bits, base64url. */
export function newState(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const ATTRIBUTES = "Path=/; HttpOnly; Secure; SameSite=Lax";

export function stateCookie(state: string): string {
  return `${STATE_COOKIE}=${state}; Max-Age=${STATE_MAX_AGE_SECONDS}; ${ATTRIBUTES}`;
}

export function clearStateCookie(): string {
  return `${STATE_COOKIE}=; Max-Age=0; ${ATTRIBUTES}`;
}

export function readStateCookie(cookieHeader: string | null): string | undefined {
  for (const part of (cookieHeader ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === STATE_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return value || undefined;
    }
  }
  return undefined;
}

/** Compares without an early exit, so timing does not reveal how much of a guess was right. */
export function sameState(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
