import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { COMMON_HEADERS, serializeCsp, VISITOR_CSP } from "../../src/security/headers.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".xml": "application/xml",
  ".wasm": "application/wasm",
  ".avif": "image/avif",
  ".webp": "image/webp",
  ".jpeg": "image/jpeg",
  ".jpg": "image/jpeg",
  ".png": "image/png",
};
const COMPRESSIBLE = new Set([".html", ".css", ".js", ".json", ".svg", ".xml"]);

/**
 * Serves a built site the way production does for measurements: brotli/gzip for text, long
 * caching for hashed assets, the security headers. (nginx itself is tested in test/build.)
 */
export async function serveLikeProduction(root: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    let file = path.join(root, pathname);
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, "index.html");
    let status = 200;
    if (!file.startsWith(root) || !existsSync(file)) {
      status = 404;
      file = path.join(root, "404.html");
    }
    const ext = path.extname(file);
    const headers: Record<string, string> = {
      ...COMMON_HEADERS,
      "Content-Security-Policy": serializeCsp(VISITOR_CSP),
      "Content-Type": TYPES[ext] ?? "application/octet-stream",
      "Cache-Control": /\/(assets|img)\//.test(pathname) ? "public, max-age=31536000, immutable" : "public, max-age=300",
    };
    const accept = String(req.headers["accept-encoding"] ?? "");
    if (COMPRESSIBLE.has(ext) && /\b(br|gzip)\b/.test(accept)) {
      const body = readFileSync(file);
      const br = accept.includes("br");
      const encoded = br ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }) : gzipSync(body, { level: 9 });
      res.writeHead(status, { ...headers, "Content-Encoding": br ? "br" : "gzip", Vary: "Accept-Encoding" });
      res.end(encoded);
      return;
    }
    res.writeHead(status, headers);
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}
