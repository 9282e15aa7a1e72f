/**
 * Generates the committed hosting configuration from src/security/headers.ts and _data/:
 *   ops/nginx/iot-lab-portal.conf   nginx server (TLS, headers, caching, compression, logs)
 *   ops/logrotate/iot-lab-portal    access logs kept 400 days
 *   ops/static-host/_headers        Cloudflare Pages / Netlify header file
 *
 *   node scripts/hosting-config.ts --check   exit 1 if a committed file differs from what would be generated
 *   node scripts/hosting-config.ts --write   regenerate them
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "../src/options.ts";
import { headersFile, hostingSite, logrotateConfig, nginxConfig } from "../src/security/hosting.ts";

/** The files as they should be, by path relative to the repository root. */
export function hostingFiles(dataDir = path.join(ROOT, "_data")): Record<string, string> {
  // Only the two settings it needs (site.url, cms.authBaseUrl); the build validates these files.
  const read = (name: string) => JSON.parse(readFileSync(path.join(dataDir, name), "utf8"));
  const site = hostingSite({ site: read("site.json"), cms: read("cms.json") });
  return {
    "ops/nginx/iot-lab-portal.conf": nginxConfig(site),
    "ops/logrotate/iot-lab-portal": logrotateConfig(),
    "ops/static-host/_headers": headersFile({ authOrigin: site.authOrigin }),
  };
}

/** Paths whose committed content is missing or differs. */
export function staleFiles(root = ROOT): string[] {
  return Object.entries(hostingFiles(path.join(root, "_data")))
    .filter(([file, content]) => !existsSync(path.join(root, file)) || readFileSync(path.join(root, file), "utf8") !== content)
    .map(([file]) => file);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { check: { type: "boolean" }, write: { type: "boolean" } } });
  if (values.write) {
    for (const [file, content] of Object.entries(hostingFiles())) {
      mkdirSync(path.dirname(path.join(ROOT, file)), { recursive: true });
      writeFileSync(path.join(ROOT, file), content);
      console.log(`wrote ${file}`);
    }
  } else if (values.check) {
    const stale = staleFiles();
    if (stale.length > 0) {
      console.error(
        `ホスティング設定が古くなっています / hosting config is stale: ${stale.join(", ")}\n` +
          "node scripts/hosting-config.ts --write で再生成してコミットしてください / regenerate with --write and commit.",
      );
      process.exitCode = 1;
    } else {
      console.log("ホスティング設定は最新です / hosting config is up to date.");
    }
  } else {
    console.error("usage: node scripts/hosting-config.ts --check | --write");
    process.exitCode = 2;
  }
}
