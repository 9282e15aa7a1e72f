/**
 * Local editing, the embedded default (no login, no network): the site with live reload and
 * drafts shown on :8080, the admin at /admin/, and decap-server on :8081 writing to this
 * working copy. `npm start` runs this.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { ROOT, siteOptionsFromEnv } from "../src/options.ts";

const require = createRequire(import.meta.url);
const port = Number(process.env.PORT ?? 8080);
const cmsPort = Number(process.env.CMS_PORT ?? 8081);
const { contentDir } = siteOptionsFromEnv();

const children: ChildProcess[] = [
  spawn(process.execPath, [require.resolve("decap-server/dist/index.js")], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
    // fs mode saves straight into the working copy; Decap then uses its simple publish mode.
    // decap-server has no authentication: listen on loopback only.
    env: {
      ...process.env,
      PORT: String(cmsPort),
      BIND_HOST: "127.0.0.1",
      GIT_REPO_DIRECTORY: ROOT,
      MODE: process.env.CMS_MODE ?? "fs",
    },
  }),
  // --incremental: a save re-renders that entry plus the lists and the home page, not the whole
  // site. Eleventy matches changed files against paths relative to its working folder, so it runs
  // in the folder that holds content/ (the repository, or a benchmark's corpus).
  spawn(
    process.execPath,
    [path.join(ROOT, "node_modules/@11ty/eleventy/cmd.cjs"), "--serve", "--incremental", `--port=${port}`, `--config=${path.join(ROOT, ".eleventy.js")}`, "--output=_site.dev"],
    {
      cwd: path.dirname(contentDir),
      stdio: ["ignore", "inherit", "inherit"],
      env: {
        ...process.env,
        SITE_MODE: "development",
        SITE_CMS_PROXY: `http://localhost:${cmsPort}/api/v1`,
      },
    },
  ),
];

console.log(`
  サイト / Site:          http://localhost:${port}/
  編集画面 / Admin (CMS): http://localhost:${port}/admin/   (ログイン不要 / no login: local backend on :${cmsPort})
`);

const stop = () => {
  for (const child of children) child.kill("SIGTERM");
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
for (const child of children) child.on("exit", (code) => {
  stop();
  process.exitCode = code ?? 0;
});
