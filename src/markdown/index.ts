import MarkdownIt from "markdown-it";

type Markdown = InstanceType<typeof MarkdownIt>;

const SAFE_SCHEMES = /^(https?:|mailto:|tel:)/i;
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** True for links that leave this site (absolute http(s) to another host). */
export function isExternalUrl(href: string, siteUrl: string): boolean {
  if (!/^https?:\/\//i.test(href)) return false;
  try {
    return new URL(href).host !== new URL(siteUrl).host;
  } catch {
    return true;
  }
}

/**
 * The renderer for editors' Markdown: raw HTML is off (escaped as text) so nobody can inject
 * markup or scripts, and links to other sites are labelled for screen readers and sighted users.
 */
export function createMarkdown(siteUrl: string, picture?: (src: string, alt: string) => string | undefined): Markdown {
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
  // Uploaded images become responsive <picture> elements (lazy, with width/height).
  const defaultImage = md.renderer.rules.image!;
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    const src = String(token.attrGet("src") ?? "");
    const html = picture?.(src, self.renderInlineAsText(token.children ?? [], options, env));
    return html ?? defaultImage(tokens, idx, options, env, self);
  };
  const defaultLinkOpen =
    md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  const defaultLinkClose =
    md.renderer.rules.link_close ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    const href = String(token.attrGet("href") ?? "");
    if (isExternalUrl(href, siteUrl)) {
      token.attrJoin("class", "c-external");
      token.attrSet("rel", "external noopener");
      token.meta = { ...(token.meta ?? {}), external: true };
      // Mark the matching close token so it appends the hidden notice.
      for (let i = idx + 1; i < tokens.length; i++) {
        if (tokens[i]!.type === "link_close") {
          tokens[i]!.meta = { external: true };
          break;
        }
      }
    }
    return defaultLinkOpen(tokens, idx, options, env, self);
  };
  md.renderer.rules.link_close = (tokens, idx, options, env, self) => {
    const suffix = tokens[idx]!.meta?.external ? '<span class="u-visually-hidden">（外部サイト）</span>' : "";
    return suffix + defaultLinkClose(tokens, idx, options, env, self);
  };
  return md;
}

/** Parser used only to detect what the renderer would silently drop or escape. */
const detector = new MarkdownIt({ html: true, linkify: false });
detector.validateLink = () => true;

/**
 * Problems in a Markdown body that an editor must fix: raw HTML, and links or images whose
 * scheme could run code (javascript:, data:, vbscript: …). Returned as bilingual sentences.
 */
export function checkMarkdownBody(body: string): string[] {
  const problems: string[] = [];
  const visit = (tokens: ReturnType<Markdown["parse"]>) => {
    for (const t of tokens) {
      // A closing tag belongs to an opening one already reported.
      if ((t.type === "html_block" || t.type === "html_inline") && !t.content.trim().startsWith("</")) {
        const snippet = t.content.trim().slice(0, 40);
        problems.push(
          `HTMLタグは使えません（「${snippet}」）。見出しやリンクはMarkdownで書いてください / raw HTML is not allowed ("${snippet}")`,
        );
      }
      const raw = t.type === "link_open" ? t.attrGet("href") : t.type === "image" ? t.attrGet("src") : null;
      const target = raw === null ? null : String(raw);
      if (target !== null) {
        const value = target.trim();
        if (t.type === "image" && !value.startsWith("/media/")) {
          problems.push(
            `画像はこのサイトにアップロードしたもの（/media/…）だけが使えます（「${value.slice(0, 40)}」） / images must be uploaded files under /media/ ("${value.slice(0, 40)}")`,
          );
        } else if (HAS_SCHEME.test(value) && !SAFE_SCHEMES.test(value)) {
          problems.push(
            `使えない形式のリンクです（「${value.slice(0, 40)}」）。http(s)://・mailto:・tel: か、サイト内のパスにしてください / unsafe link scheme ("${value.slice(0, 40)}")`,
          );
        }
      }
      if (t.children) visit(t.children);
    }
  };
  visit(detector.parse(body, {}));
  return problems;
}

/** Uploaded files a body refers to: images it shows and files it links to (paths under /media/). */
export function mediaReferences(body: string): { images: string[]; files: string[] } {
  const images: string[] = [];
  const files: string[] = [];
  const visit = (tokens: ReturnType<Markdown["parse"]>) => {
    for (const t of tokens) {
      if (t.type === "image") images.push(String(t.attrGet("src") ?? ""));
      if (t.type === "link_open") {
        const href = String(t.attrGet("href") ?? "");
        if (href.startsWith("/media/")) files.push(href);
      }
      if (t.children) visit(t.children);
    }
  };
  visit(detector.parse(body, {}));
  return { images: images.filter((src) => src.startsWith("/media/")), files };
}
