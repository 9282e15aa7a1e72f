/**
 * The small HTML pages the gateway answers with. The only script is the popup handshake; it is
 * allowed by its SHA-256 hash and nothing else (no styles, images or connections at all).
 */

export interface Message {
  ja: string;
  en: string;
}

export interface GatewayPage {
  html: string;
  csp: string;
}

const PAGE_CSP_BASE = ["default-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A JavaScript string literal safe inside <script>: JSON, plus every non-ASCII character and
 * < > & as \uXXXX, so nothing can close the element and the script is pure ASCII (its hash
 * does not depend on how the page is encoded).
 */
export function jsString(value: string): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]|[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export async function sha256Base64(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

/** How long the popup waits for the CMS to answer before telling the editor what to do. */
const HANDSHAKE_TIMEOUT_MS = 15_000;

/**
 * Decap's popup protocol (decap-cms-lib-auth, NetlifyAuthenticator): the popup says
 * "authorizing:github" to its opener; the CMS, having checked the sender is its base_url, echoes
 * it back; then the popup sends the result and the CMS closes it. Every message goes to the one
 * allowed origin (never "*"), and only an echo from that origin, from the opener itself, counts.
 */
export function handshakeScript(allowedOrigin: string, message: string): string {
  return `(function () {
  "use strict";
  var origin = ${jsString(allowedOrigin)};
  var message = ${jsString(message)};
  var cms = window.opener;
  function lost() {
    var status = document.getElementById("status");
    var note = document.getElementById("lost");
    if (status) status.hidden = true;
    if (note) note.hidden = false;
  }
  if (!cms) { lost(); return; }
  var timer = setTimeout(lost, ${HANDSHAKE_TIMEOUT_MS});
  function receive(event) {
    if (event.source !== cms || event.origin !== origin || event.data !== "authorizing:github") return;
    window.removeEventListener("message", receive);
    clearTimeout(timer);
    cms.postMessage(message, origin);
  }
  window.addEventListener("message", receive);
  cms.postMessage("authorizing:github", origin);
})();`;
}

const LOST: Message = {
  ja: "編集画面と連絡できませんでした。このウィンドウを閉じて、編集画面（/admin/）からもう一度ログインしてください。",
  en: "Could not reach the editing screen. Close this window and sign in again from /admin/.",
};

function htmlDocument(title: string, body: string, script?: string): string {
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(title)}｜地方版IoT推進ラボ 編集画面</title>
</head>
<body>
<main>
${body}
</main>${script === undefined ? "" : `\n<script>${script}</script>`}
</body>
</html>
`;
}

function paragraphs(messages: Message[]): string {
  return messages.map((m) => `<p>${escapeHtml(m.ja)}</p>\n<p lang="en">${escapeHtml(m.en)}</p>`).join("\n");
}

/** A page without script: 404, 405, configuration errors. */
export function plainPage(heading: Message, messages: Message[]): GatewayPage {
  const body = `<h1>${escapeHtml(heading.ja)} <span lang="en">/ ${escapeHtml(heading.en)}</span></h1>\n${paragraphs(messages)}`;
  return { html: htmlDocument(heading.ja, body), csp: PAGE_CSP_BASE.join("; ") };
}

/**
 * A page that hands `message` to the CMS window, allowed by the script's hash only. `progress`
 * messages ("returning to the editing screen…") give way to the explanation if the CMS is not there.
 */
export async function handshakePage(
  allowedOrigin: string,
  message: string,
  heading: Message,
  messages: Message[],
  options: { progress?: boolean } = {},
): Promise<GatewayPage> {
  const script = handshakeScript(allowedOrigin, message);
  const main = options.progress ? `<div id="status">\n${paragraphs(messages)}\n</div>` : paragraphs(messages);
  const body =
    `<h1>${escapeHtml(heading.ja)} <span lang="en">/ ${escapeHtml(heading.en)}</span></h1>\n${main}\n` +
    `<div id="lost" hidden>\n${paragraphs([LOST])}\n</div>`;
  const csp = [...PAGE_CSP_BASE, `script-src 'sha256-${await sha256Base64(script)}'`].join("; ");
  return { html: htmlDocument(heading.ja, body, script), csp };
}
