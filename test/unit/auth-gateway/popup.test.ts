/**
 * What an editor actually does, in real Chromium: the admin page (here a tiny stand-in running
 * Decap's own NetlifyAuthenticator from decap-cms-lib-auth, under the admin's CSP) opens the
 * gateway in a popup, GitHub (a loopback fake) approves, and the popup hands the token back.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startGatewayServer, type GatewayServer } from "../../../src/auth-gateway/node-server.ts";
import { adminCsp, serializeCsp } from "../../../src/security/headers.ts";
import { launchBrowser } from "../../helpers/browser.ts";
import { startFakeGitHub, type FakeGitHub } from "./fake-github.ts";

const require = createRequire(import.meta.url);
const LIB_AUTH = readFileSync(require.resolve("decap-cms-lib-auth/dist/decap-cms-lib-auth.js"), "utf8");

interface Site {
  url: string;
  close: () => Promise<void>;
}

/**
 * A stand-in for /admin/: Decap's authenticator with the github provider, as its GitHub backend
 * calls it. It records every message it receives, to show what reached it.
 */
async function startSite(gatewayUrl: () => string, headers: () => Record<string, string>): Promise<Site> {
  const server = http.createServer((req, res) => {
    const send = (type: string, body: string) => {
      res.writeHead(200, { "content-type": type, ...headers() });
      res.end(body);
    };
    switch (req.url) {
      case "/":
        return send(
          "text/html; charset=utf-8",
          `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>編集画面</title>
<script src="/stub.js" defer></script><script src="/lib-auth.js" defer></script><script src="/admin.js" defer></script></head>
<body><button id="login" type="button">GitHub でログインする</button></body></html>`,
        );
      // The UMD bundle takes Immutable from Decap's shared exports; the authenticator never uses it.
      case "/stub.js":
        return send("text/javascript", "window.DecapCmsDefaultExports = { Immutable: {} };");
      case "/lib-auth.js":
        return send("text/javascript", LIB_AUTH);
      case "/admin.js":
        return send(
          "text/javascript",
          `window.received = [];
window.addEventListener("message", function (e) { window.received.push({ origin: e.origin, data: String(e.data) }); });
document.getElementById("login").addEventListener("click", function () {
  var auth = new window.DecapCmsLibAuth.NetlifyAuthenticator({ base_url: ${JSON.stringify(gatewayUrl())}, auth_endpoint: "auth" });
  auth.authenticate({ provider: "github", scope: "repo" }, function (err, data) {
    window.result = err ? { error: String(err) } : { data: data };
  });
});`,
        );
      default:
        res.writeHead(req.url === "/favicon.ico" ? 204 : 404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let browser: Browser;
let github: FakeGitHub;
let site: Site;
let otherSite: Site;
let gateway: GatewayServer;
let context: BrowserContext;
/** The admin's headers: its CSP, and a COOP that still lets it talk to the popup it opens. */
let siteHeaders: Record<string, string> = {};
const consoleErrors: string[] = [];

beforeAll(async () => {
  github = await startFakeGitHub();
  const adminHeaders = () => siteHeaders;
  site = await startSite(() => gateway.url, adminHeaders);
  otherSite = await startSite(() => gateway.url, adminHeaders);
  gateway = await startGatewayServer({
    env: { GITHUB_CLIENT_ID: github.clientId, GITHUB_CLIENT_SECRET: github.clientSecret, ALLOWED_ORIGIN: site.url, GITHUB_BASE_URL: github.url },
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  await site?.close();
  await otherSite?.close();
  await github?.close();
});
beforeEach(async () => {
  await context?.close();
  context = await browser.newContext({ locale: "ja-JP" });
  consoleErrors.length = 0;
  context.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  context.on("weberror", (error) => consoleErrors.push(String(error.error())));
  siteHeaders = {
    "content-security-policy": serializeCsp(adminCsp({ authOrigin: gateway.url })),
    "cross-origin-opener-policy": "same-origin-allow-popups",
  };
});

async function clickLogin(page: Page): Promise<Page> {
  const popup = page.waitForEvent("popup");
  await page.getByRole("button", { name: "GitHub でログインする" }).click();
  return popup;
}

describe("sign-in popup in Chromium", () => {
  it("hands the token to the CMS window, which closes the popup", async () => {
    const page = await context.newPage();
    await page.goto(site.url);
    const popup = await clickLogin(page);
    await page.waitForFunction(() => (window as unknown as { result?: unknown }).result, undefined, { timeout: 15_000 });
    const result = await page.evaluate(() => (window as unknown as { result: unknown }).result);
    expect(result).toEqual({ data: { token: github.token, provider: "github" } });
    await expect.poll(() => popup.isClosed()).toBe(true);
    // The state cookie did its job (Secure cookies work on loopback); no CSP report, no error.
    expect(consoleErrors).toEqual([]);
    // What the CMS window received: only the handshake and the result, from the gateway.
    const received = await page.evaluate(() => (window as unknown as { received: { origin: string; data: string }[] }).received);
    expect(received.map((m) => m.origin)).toEqual([gateway.url, gateway.url]);
    expect(github.tokenRequests.at(-1)?.body.get("client_secret")).toBe(github.clientSecret);
  });

  it("tells the CMS when the editor cancels on GitHub", async () => {
    github.mode.authorize = "deny";
    try {
      const page = await context.newPage();
      await page.goto(site.url);
      await clickLogin(page);
      await page.waitForFunction(() => (window as unknown as { result?: unknown }).result, undefined, { timeout: 15_000 });
      const result = await page.evaluate(() => (window as unknown as { result: unknown }).result);
      expect(result).toEqual({ error: "GitHub での承認がキャンセルされました。 / Authorisation was cancelled on GitHub." });
    } finally {
      github.mode.authorize = "approve";
    }
  });

  it("gives nothing to a window on another origin", async () => {
    const page = await context.newPage();
    await page.goto(otherSite.url);
    const popup = await clickLogin(page);
    await popup.waitForURL(/\/callback\?/);
    await popup.waitForLoadState("load");
    await page.waitForTimeout(1_500);
    const state = await page.evaluate(() => {
      const w = window as unknown as { result?: unknown; received: unknown[] };
      return { result: w.result, received: w.received };
    });
    // The popup's very first message is addressed to ALLOWED_ORIGIN, so the browser drops it.
    expect(state).toEqual({ result: undefined, received: [] });
    expect(await popup.locator("body").innerText()).not.toContain(github.token);
    await popup.close();
  });

  it("explains itself when opened without the CMS (no opener)", async () => {
    const page = await context.newPage();
    await page.goto(`${gateway.url}/auth`);
    await page.waitForURL(/\/callback\?/);
    // Visible only if the hash-allowed script ran.
    await expect.poll(() => page.locator("#lost").isVisible()).toBe(true);
    await expect(page.locator("#lost").textContent()).resolves.toContain("編集画面と連絡できませんでした");
    expect(await page.locator("#status").isVisible()).toBe(false);
    expect(consoleErrors).toEqual([]);
    expect(await page.locator("body").innerText()).not.toContain(github.token);
  });

  it("cannot work if the admin is served with Cross-Origin-Opener-Policy: same-origin", async () => {
    // Documented in docs/oauth-gateway.md: COOP same-origin cuts the popup off from its opener.
    siteHeaders["cross-origin-opener-policy"] = "same-origin";
    const page = await context.newPage();
    await page.goto(site.url);
    const popup = await clickLogin(page);
    await popup.waitForURL(/\/callback\?/);
    await expect.poll(() => popup.locator("#lost").isVisible()).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { result?: unknown }).result)).toBeUndefined();
  });
});
