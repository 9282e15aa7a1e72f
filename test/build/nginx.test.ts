/**
 * The generated nginx config, served by a real nginx (Debian's, with the brotli module) on
 * loopback over HTTPS with a throwaway self-signed certificate, in front of the built sample site.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import tls from "node:tls";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../src/options.ts";
import { adminCsp, COMMON_HEADERS, HSTS, serializeCsp, VISITOR_CSP } from "../../src/security/headers.ts";
import { CACHE_CONTROL, hostingSite, nginxConfig } from "../../src/security/hosting.ts";
import { tempDir } from "../helpers/build.ts";
import { freePort } from "../helpers/cms.ts";
import { siteDir } from "../helpers/site.ts";

const NGINX = "/usr/sbin/nginx";
const BROTLI_MODULE = "/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so";
const site = hostingSite({
  site: JSON.parse(readFileSync(path.join(ROOT, "_data/site.json"), "utf8")),
  cms: JSON.parse(readFileSync(path.join(ROOT, "_data/cms.json"), "utf8")),
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

let dir = "";
let httpsPort = 0;
let httpPort = 0;
let nginx: ChildProcess | undefined;
let nginxOutput = "";

function request(url: string, options: { method?: string; headers?: Record<string, string>; localAddress?: string } = {}): Promise<Reply> {
  const target = new URL(url);
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      {
        method: options.method ?? "GET",
        headers: { host: site.serverName, ...options.headers },
        localAddress: options.localAddress,
        agent: false,
        // The throwaway certificate is self-signed; TLS itself is what is under test.
        rejectUnauthorized: false,
        servername: site.serverName,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on("error", reject);
    req.setTimeout(5000, () => req.destroy(new Error(`timeout: ${url}`)));
    req.end(options.method === "POST" ? "a=1" : undefined);
  });
}

const get = (urlPath: string, options: Parameters<typeof request>[1] = {}) => request(`https://127.0.0.1:${httpsPort}${urlPath}`, options);
const file = (rel: string) => readFileSync(path.join(siteDir(), rel));
const firstFile = (rel: string, re: RegExp) => {
  const name = readdirSync(path.join(siteDir(), rel)).find((n) => re.test(n));
  if (!name) throw new Error(`no file matching ${re} in ${rel}`);
  return `/${rel}/${name}`;
};

function expectSecurityHeaders(reply: Reply, csp = serializeCsp(VISITOR_CSP)) {
  for (const [name, value] of Object.entries(COMMON_HEADERS)) expect(reply.headers[name.toLowerCase()], name).toBe(value);
  expect(reply.headers["content-security-policy"]).toBe(csp);
  expect(reply.headers["strict-transport-security"]).toBe(HSTS);
}

async function waitForTls(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (nginx?.exitCode !== null) throw new Error(`nginx exited (${nginx?.exitCode}):\n${nginxOutput}${readLog("error.log")}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = tls.connect({ host: "127.0.0.1", port, rejectUnauthorized: false }, () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nginx did not accept TLS on port ${port}:\n${readLog("error.log")}`);
}

function readLog(name: string): string {
  const p = path.join(dir, "logs", name);
  return existsSync(p) ? readFileSync(p, "utf8") : "";
}

beforeAll(async () => {
  if (!existsSync(NGINX) || !existsSync(BROTLI_MODULE)) {
    throw new Error(
      `nginx の試験には Debian の nginx と brotli モジュールが必要です / this test needs ${NGINX} and ${BROTLI_MODULE}: ` +
        "run ./dev.sh test (installs them as root) or apt-get install nginx libnginx-mod-http-brotli-filter",
    );
  }
  dir = tempDir("nginx-");
  for (const sub of ["logs", "tmp"]) mkdirSync(path.join(dir, sub));
  const cert = path.join(dir, "cert.pem");
  const key = path.join(dir, "key.pem");
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
    "-subj", `/CN=${site.serverName}`, "-addext", `subjectAltName=DNS:${site.serverName},IP:127.0.0.1`,
    "-keyout", key, "-out", cert,
  ], { stdio: "pipe" });
  httpsPort = await freePort();
  httpPort = await freePort();
  // Only 127.0.0.1 may open /admin/ here; requests from 127.0.0.2 stand in for third parties.
  writeFileSync(path.join(dir, "admin-access.conf"), "allow 127.0.0.1;\ndeny all;\n");
  writeFileSync(
    path.join(dir, "iot-lab-portal.conf"),
    nginxConfig({
      ...site,
      root: siteDir(),
      listen: ["127.0.0.1"],
      httpsPort,
      httpPort,
      certificate: cert,
      certificateKey: key,
      accessLog: path.join(dir, "logs/access.log"),
      errorLog: path.join(dir, "logs/error.log"),
      adminAccessInclude: path.join(dir, "admin-access*.conf"),
    }),
  );
  // The part of Debian's nginx.conf the site file relies on, with every path inside the temp dir.
  const tmp = (name: string) => `${name}_temp_path ${path.join(dir, "tmp", name)};`;
  writeFileSync(
    path.join(dir, "nginx.conf"),
    [
      "daemon off;",
      "worker_processes 1;",
      `pid ${path.join(dir, "nginx.pid")};`,
      `error_log ${path.join(dir, "logs/error.log")} warn;`,
      // Workers must read the site in a root-only temp folder.
      process.getuid?.() === 0 ? "user root root;" : "",
      `load_module ${BROTLI_MODULE};`,
      "events { worker_connections 64; }",
      "http {",
      "  include /etc/nginx/mime.types;",
      "  default_type application/octet-stream;",
      `  ${tmp("client_body")} ${tmp("proxy")} ${tmp("fastcgi")} ${tmp("uwsgi")} ${tmp("scgi")}`,
      `  access_log ${path.join(dir, "logs/other.log")};`,
      `  include ${path.join(dir, "iot-lab-portal.conf")};`,
      "}",
    ].join("\n"),
  );
  const args = ["-p", dir, "-c", path.join(dir, "nginx.conf"), "-e", path.join(dir, "logs/error.log")];
  try {
    execFileSync(NGINX, ["-t", "-q", ...args], { stdio: "pipe" });
  } catch (error) {
    throw new Error(`nginx -t rejected the generated config:\n${String((error as { stderr?: Buffer }).stderr ?? error)}`);
  }
  nginx = spawn(NGINX, args, { stdio: ["ignore", "pipe", "pipe"] });
  nginx.stdout?.on("data", (d: Buffer) => (nginxOutput += d));
  nginx.stderr?.on("data", (d: Buffer) => (nginxOutput += d));
  await waitForTls(httpsPort);
});

afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((resolve) => nginx!.once("exit", resolve));
    nginx.kill("SIGTERM");
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("nginx serving the built site", () => {
  it("serves pages over HTTPS (TLS 1.2+, HTTP/2 offered) with the security headers and the visitor CSP", async () => {
    const reply = await get("/");
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(reply.body.equals(file("index.html"))).toBe(true);
    expectSecurityHeaders(reply);
    expect(reply.headers.allow).toBeUndefined();

    const alpn = await new Promise<{ protocol: string | null; alpn: string | false | null }>((resolve, reject) => {
      const socket = tls.connect({ host: "127.0.0.1", port: httpsPort, servername: site.serverName, ALPNProtocols: ["h2", "http/1.1"], rejectUnauthorized: false }, () => {
        resolve({ protocol: socket.getProtocol(), alpn: socket.alpnProtocol });
        socket.end();
      });
      socket.on("error", reject);
    });
    expect(["TLSv1.2", "TLSv1.3"]).toContain(alpn.protocol);
    expect(alpn.alpn).toBe("h2");
  });

  it("gives /admin/ the admin policy (without the local decap-server origin)", async () => {
    const reply = await get("/admin/");
    expect(reply.status).toBe(200);
    expectSecurityHeaders(reply, serializeCsp(adminCsp({ authOrigin: site.authOrigin })));
    expect(reply.headers["content-security-policy"]).not.toContain("localhost");
    expect(reply.headers["cache-control"]).toBe(CACHE_CONTROL.revalidate);
    const script = await get(firstFile("admin", /^cms\.[0-9a-f]{10}\.js$/));
    expect(script.headers["content-security-policy"]).toBe(serializeCsp(adminCsp({ authOrigin: site.authOrigin })));
  });

  it("closes /admin/ to addresses outside the allow-list include, with the 404 page", async () => {
    const outsider = await get("/admin/", { localAddress: "127.0.0.2" });
    expect(outsider.status).toBe(404);
    expect(outsider.body.equals(file("404.html"))).toBe(true);
    expect((await get("/", { localAddress: "127.0.0.2" })).status).toBe(200);
  });

  it("answers missing pages with the site's 404 page, status 404 and the headers", async () => {
    const reply = await get("/no-such-page/");
    expect(reply.status).toBe(404);
    expect(reply.body.equals(file("404.html"))).toBe(true);
    expectSecurityHeaders(reply);
    // The 404 page is a visitor page even under /admin/.
    expectSecurityHeaders(await get("/admin/no-such-file.js"));
  });

  it("lists no folders: a folder without index.html is a 404, and the _headers file is not served", async () => {
    for (const folder of ["/img/", "/pagefind/", "/pagefind/fragment/", "/assets/"]) {
      const reply = await get(folder);
      expect(reply.status, folder).toBe(404);
      expect(reply.body.toString()).not.toContain("Index of");
    }
    expect((await get("/_headers")).status).toBe(404);
  });

  it("redirects a folder without its slash to a relative location", async () => {
    const reply = await get("/news");
    expect(reply.status).toBe(301);
    expect(reply.headers.location).toBe("/news/");
    expectSecurityHeaders(reply);
  });

  it("compresses text with gzip and brotli when asked", async () => {
    for (const urlPath of ["/", firstFile("assets", /\.css$/)]) {
      const original = urlPath === "/" ? file("index.html") : file(urlPath);
      const gz = await get(urlPath, { headers: { "accept-encoding": "gzip" } });
      expect(gz.headers["content-encoding"], urlPath).toBe("gzip");
      expect(gz.headers.vary).toContain("Accept-Encoding");
      expect(zlib.gunzipSync(gz.body).equals(original)).toBe(true);
      const br = await get(urlPath, { headers: { "accept-encoding": "br, gzip" } });
      expect(br.headers["content-encoding"], urlPath).toBe("br");
      expect(zlib.brotliDecompressSync(br.body).equals(original)).toBe(true);
      expect((await get(urlPath)).headers["content-encoding"]).toBeUndefined();
    }
  });

  it("caches hashed assets for a year and pages briefly", async () => {
    const immutable = [
      firstFile("assets", /^site\.[0-9a-f]{10}\.css$/),
      firstFile("assets", /^search\.[0-9a-f]{10}\.js$/),
      firstFile("img", /\.(avif|webp|jpe?g|png)$/),
      firstFile("pagefind/fragment", /\.pf_fragment$/),
      firstFile("pagefind/index", /\.pf_index$/),
      firstFile("pagefind", /\.pf_meta$/),
    ];
    for (const urlPath of immutable) {
      const reply = await get(urlPath);
      expect(reply.status, urlPath).toBe(200);
      expect(reply.headers["cache-control"], urlPath).toBe(CACHE_CONTROL.immutable);
      expectSecurityHeaders(reply);
    }
    for (const urlPath of ["/pagefind/pagefind-entry.json", "/pagefind/pagefind.js"]) {
      expect((await get(urlPath)).headers["cache-control"], urlPath).toBe(CACHE_CONTROL.revalidate);
    }
    for (const urlPath of ["/", "/news/", "/404.html", "/sitemap.xml"]) {
      expect((await get(urlPath)).headers["cache-control"], urlPath).toBe(CACHE_CONTROL.short);
    }
    // Error responses carry no Cache-Control.
    expect((await get("/no-such-page/")).headers["cache-control"]).toBeUndefined();
  });

  it("shows no nginx version, in headers or error pages", async () => {
    const ok = await get("/");
    expect(ok.headers.server).toBe("nginx");
    const refused = await get("/", { method: "POST" });
    expect(refused.headers.server).toBe("nginx");
    expect(refused.body.toString()).not.toMatch(/nginx\/\d/);
  });

  it("allows only GET and HEAD", async () => {
    const head = await get("/", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const method of ["POST", "PUT", "DELETE", "OPTIONS"]) {
      const reply = await get("/news/", { method });
      expect(reply.status, method).toBe(405);
      expect(reply.headers.allow).toBe("GET, HEAD");
      expectSecurityHeaders(reply);
    }
  });

  it("redirects plain HTTP to HTTPS, keeping the path and query", async () => {
    const reply = await request(`http://127.0.0.1:${httpPort}/news/?page=2`);
    expect(reply.status).toBe(301);
    expect(reply.headers.location).toBe(`https://${site.serverName}:${httpsPort}/news/?page=2`);
    expect(reply.headers.server).toBe("nginx");
  });

  it("writes the access log in the named format", async () => {
    await get("/about/");
    // nginx writes each line when the request completes; it is there once the reply is read.
    const line = readLog("access.log").split("\n").find((l) => l.includes("GET /about/ HTTP/1.1"));
    expect(line).toMatch(/^127\.0\.0\.1 - - \[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d\] "GET \/about\/ HTTP\/1\.1" 200 \d+ "-" "-" [\d.]+ TLSv1\.[23] iot-lab-portal\.example\.jp$/);
  });
});
