import { execFile } from "node:child_process";
import { cpSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { staleFiles } from "../../../scripts/hosting-config.ts";
import { ROOT } from "../../../src/options.ts";
import { adminCsp, serializeCsp, VISITOR_CSP } from "../../../src/security/headers.ts";
import { CACHE_CONTROL, CACHE_RULES, headersFile, logrotateConfig, nginxConfig } from "../../../src/security/hosting.ts";
import { tempDir } from "../../helpers/build.ts";
import { siteDir } from "../../helpers/site.ts";

const run = promisify(execFile);
const AUTH = "https://cms-auth.example.jp";

type Rule = { pattern: string; set: [string, string][]; detach: string[] };

function parseHeadersFile(text: string): Rule[] {
  const rules: Rule[] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("/")) rules.push({ pattern: line, set: [], detach: [] });
    else if (line.startsWith("  ! ")) rules.at(-1)!.detach.push(line.slice(4).toLowerCase());
    else if (line.startsWith("  ")) {
      const [name, ...value] = line.trim().split(": ");
      rules.at(-1)!.set.push([name!.toLowerCase(), value.join(": ")]);
    } else if (line && !line.startsWith("#")) throw new Error(`unexpected line: ${line}`);
  }
  return rules;
}

/** A splat matches any characters, slashes included (Cloudflare Pages and Netlify alike). */
const globMatches = (glob: string, urlPath: string) =>
  new RegExp(`^${glob.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`).test(urlPath);

/** Cloudflare Pages: all matching rules apply, same-name values are joined; "! Name" drops inherited ones. */
function cloudflareHeaders(rules: Rule[], urlPath: string): Record<string, string> {
  const matching = rules.filter((r) => globMatches(r.pattern, urlPath));
  const detached = new Set(matching.flatMap((r) => r.detach));
  const out: Record<string, string> = {};
  for (const rule of matching) {
    for (const [name, value] of rule.set) {
      if (detached.has(name) && !rule.detach.includes(name)) continue;
      out[name] = out[name] ? `${out[name]}, ${value}` : value;
    }
  }
  return out;
}

/** Netlify: the last matching rule's value of a header wins. */
function netlifyHeaders(rules: Rule[], urlPath: string): Record<string, string> {
  return Object.assign({}, ...rules.filter((r) => globMatches(r.pattern, urlPath)).map((r) => Object.fromEntries(r.set)));
}

/** What the nginx maps give for a $uri. */
function nginxHeaders(uri: string): Record<string, string> {
  return {
    "content-security-policy": uri.startsWith("/admin/") ? serializeCsp(adminCsp({ authOrigin: AUTH })) : serializeCsp(VISITOR_CSP),
    "cache-control": CACHE_RULES.find((r) => new RegExp(r.regex).test(uri))?.value ?? CACHE_CONTROL.short,
  };
}

describe("committed hosting config", () => {
  it("is up to date (scripts/hosting-config.ts --check)", async () => {
    const { stdout } = await run(process.execPath, [path.join(ROOT, "scripts/hosting-config.ts"), "--check"], { cwd: ROOT });
    expect(stdout).toContain("up to date");
  });

  it("--check names a file that was edited by hand", () => {
    const root = tempDir("hosting-");
    cpSync(path.join(ROOT, "_data"), path.join(root, "_data"), { recursive: true });
    cpSync(path.join(ROOT, "ops"), path.join(root, "ops"), { recursive: true });
    expect(staleFiles(root)).toEqual([]);
    writeFileSync(path.join(root, "ops/static-host/_headers"), "/*\n  X-Frame-Options: SAMEORIGIN\n");
    expect(staleFiles(root)).toEqual(["ops/static-host/_headers"]);
    rmSync(root, { recursive: true, force: true });
  });
});

describe("_headers", () => {
  const cloudflare = headersFile({ authOrigin: AUTH });
  const netlify = headersFile({ authOrigin: AUTH, host: "netlify" });

  it("stays within the hosts' limits and has one block per pattern", () => {
    for (const text of [cloudflare, netlify]) {
      const rules = parseHeadersFile(text);
      expect(rules.length).toBeLessThanOrEqual(100);
      expect(new Set(rules.map((r) => r.pattern)).size).toBe(rules.length);
      for (const line of text.split("\n")) expect(line.length).toBeLessThanOrEqual(2000);
    }
    expect(netlify).not.toMatch(/^ {2}!/m);
  });

  it("gives every built file the same CSP and Cache-Control as nginx, on both hosts", () => {
    const dir = siteDir();
    const files = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => `/${path.relative(dir, path.join(d.parentPath, d.name)).split(path.sep).join("/")}`);
    expect(files.length).toBeGreaterThan(100);
    const cf = parseHeadersFile(cloudflare);
    const nl = parseHeadersFile(netlify);
    for (const file of files) {
      // Visitors ask for /news/; nginx's $uri is then /news/index.html.
      const requested = file.endsWith("/index.html") ? file.slice(0, -"index.html".length) : file;
      const expected = nginxHeaders(file);
      for (const [host, got] of [["cloudflare", cloudflareHeaders(cf, requested)], ["netlify", netlifyHeaders(nl, requested)]] as const) {
        expect(got["content-security-policy"], `${host} ${requested}`).toBe(expected["content-security-policy"]);
        expect(got["cache-control"], `${host} ${requested}`).toBe(expected["cache-control"]);
      }
    }
  });

  it("has the production admin policy (no localhost) and HSTS", () => {
    expect(cloudflare).toContain(`Content-Security-Policy: ${serializeCsp(adminCsp({ authOrigin: AUTH }))}`);
    expect(cloudflare).not.toContain("localhost");
    expect(cloudflare).toContain("Strict-Transport-Security: max-age=");
  });
});

describe("nginx and logrotate text", () => {
  it("uses the overrides it is given and placeholders otherwise", () => {
    const conf = nginxConfig({ serverName: "portal.example.jp", authOrigin: AUTH });
    expect(conf).toMatch(/ssl_certificate \S*PLACEHOLDER\S*;/);
    expect(conf).toContain("listen [::]:443 ssl http2;");
    expect(conf).toContain("return 301 https://portal.example.jp$request_uri;");
    const test = nginxConfig({ serverName: "portal.example.jp", authOrigin: AUTH, listen: ["127.0.0.1"], httpsPort: 8443, brotli: false, root: "/srv/site" });
    expect(test).toContain("listen 127.0.0.1:8443 ssl http2;");
    expect(test).toContain("return 301 https://portal.example.jp:8443$request_uri;");
    expect(test).toContain("root /srv/site;");
    expect(test).not.toMatch(/^\s*brotli /m);
  });

  it("keeps access logs 400 days", () => {
    const text = logrotateConfig();
    for (const directive of ["daily", "rotate 400", "compress", "delaycompress", "missingok"]) expect(text).toMatch(new RegExp(`^\\s+${directive}$`, "m"));
  });
});
