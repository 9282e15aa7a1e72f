import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { ROOT } from "../../src/options.ts";
import { runBuild, tempDir } from "./build.ts";
import { serveStatic } from "./server.ts";

const require = createRequire(import.meta.url);

export function git(repo: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();
}

/**
 * A throwaway content repository (content/ and _data/ of the sample site on `main`), so that
 * decap-server's git mode can switch branches without touching the developer's working copy.
 */
export function makeContentRepo(): string {
  const repo = path.join(tempDir("repo-"), "site");
  mkdirSync(repo, { recursive: true });
  cpSync(path.join(ROOT, "content"), path.join(repo, "content"), { recursive: true });
  cpSync(path.join(ROOT, "_data"), path.join(repo, "_data"), { recursive: true });
  git(repo, "init", "-q", "-b", "main");
  git(repo, "config", "user.name", "CMS Test");
  git(repo, "config", "user.email", "cms-test@example.jp");
  // Git must print paths as they are, or decap-server cannot reload non-ASCII paths.
  git(repo, "config", "core.quotePath", "false");
  git(repo, "add", ".");
  git(repo, "commit", "-q", "-m", "sample content");
  return repo;
}

import { freePort } from "../../src/ops/free-port.ts";

export { freePort };

export interface CmsEnvironment {
  repo: string;
  adminUrl: string;
  siteDir: string;
  stop(): Promise<void>;
}

/** The real decap-server (git mode) on a content repo, and the built admin served on localhost. */
export async function startCms(options: { mode?: "git" | "fs" } = {}): Promise<CmsEnvironment> {
  const repo = makeContentRepo();
  const cmsPort = await freePort();
  const server: ChildProcess = spawn(process.execPath, [require.resolve("decap-server/dist/index.js")], {
    env: {
      ...process.env,
      PORT: String(cmsPort),
      BIND_HOST: "127.0.0.1",
      MODE: options.mode ?? "git",
      GIT_REPO_DIRECTORY: repo,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  process.env.SITE_CMS_PROXY = `http://localhost:${cmsPort}/api/v1`;
  const built = await runBuild({ content: path.join(repo, "content"), data: path.join(repo, "_data") });
  delete process.env.SITE_CMS_PROXY;
  if (!built.ok) throw new Error(built.stderr);
  const http = await serveStatic(built.output);
  await waitForServer(`http://localhost:${cmsPort}/api/v1`);
  return {
    repo,
    siteDir: built.output,
    adminUrl: `${http.url.replace("127.0.0.1", "localhost")}/admin/`,
    stop: async () => {
      server.kill("SIGTERM");
      await http.close();
    },
  };
}

async function waitForServer(url: string) {
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: '{"action":"info"}' });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`decap-server did not start at ${url}`);
}
