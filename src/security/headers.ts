/**
 * The security headers of the site, in one place: the nginx config, the static-host `_headers`
 * file and the <meta> CSP in every page are all generated from here.
 *
 * Visitors' pages load nothing from other origins. Search needs only 'wasm-unsafe-eval' (Pagefind
 * compiles its WebAssembly) on top of same-origin scripts and fetches. No inline script or style.
 */
export const VISITOR_CSP: Record<string, string[]> = {
  "default-src": ["'none'"],
  "script-src": ["'self'", "'wasm-unsafe-eval'"],
  "style-src": ["'self'"],
  "img-src": ["'self'"],
  "font-src": ["'self'"],
  "connect-src": ["'self'"],
  "manifest-src": ["'self'"],
  "base-uri": ["'none'"],
  "form-action": ["'self'"],
  "frame-ancestors": ["'none'"],
  "object-src": ["'none'"],
};

export interface AdminCspOptions {
  /** The OAuth gateway that signs editors in (production). */
  authOrigin: string;
  /** decap-server, used when the admin runs on localhost. */
  localProxyOrigin?: string;
}

/**
 * The admin (Decap CMS) needs more, and is documented in docs/operations/hosting.md: React with emotion
 * injects <style> elements ('unsafe-inline' styles), Decap compiles config validators at run time
 * ('unsafe-eval'), talks to GitHub's API, shows uploads as blob:/data: URLs and renders the
 * preview in a same-origin iframe. It still loads no script from another origin.
 */
export function adminCsp(options: AdminCspOptions): Record<string, string[]> {
  return {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-eval'", "'wasm-unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", "https://avatars.githubusercontent.com", "https://raw.githubusercontent.com"],
    "media-src": ["'self'", "blob:"],
    "connect-src": ["'self'", "blob:", "https://api.github.com", options.authOrigin, ...(options.localProxyOrigin ? [options.localProxyOrigin] : [])],
    "frame-src": ["'self'", "blob:"],
    "worker-src": ["'self'", "blob:"],
    "base-uri": ["'none'"],
    "form-action": ["'self'", options.authOrigin],
    "frame-ancestors": ["'none'"],
    "object-src": ["'none'"],
  };
}

export function serializeCsp(policy: Record<string, string[]>, options: { forMeta?: boolean } = {}): string {
  return Object.entries(policy)
    // A <meta> CSP ignores frame-ancestors (and warns); it only works as a header.
    .filter(([directive]) => !(options.forMeta && directive === "frame-ancestors"))
    .map(([directive, values]) => `${directive} ${values.join(" ")}`)
    .join("; ");
}

/** Headers for every response, besides the CSP. HSTS is added where TLS terminates (nginx). */
export const COMMON_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Permissions-Policy": "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()",
};

/**
 * Cross-Origin-Opener-Policy per area: visitors' pages are isolated; the admin must keep its
 * link to the GitHub sign-in popup (the gateway posts the token back to window.opener).
 */
export const COOP = { visitor: "same-origin", admin: "same-origin-allow-popups" } as const;

export const HSTS = "max-age=63072000; includeSubDomains";
