/**
 * Local editing: the site with live reload (drafts shown) on :8080. `npm start` runs this.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { ROOT } from "../src/options.ts";

const port = Number(process.env.PORT ?? 8080);
const eleventy = spawn(
  process.execPath,
  [path.join(ROOT, "node_modules/@11ty/eleventy/cmd.cjs"), "--serve", `--port=${port}`, "--output=_site.dev"],
  { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, SITE_MODE: "development" } },
);

console.log(`\n  サイト / Site:   http://localhost:${port}/\n`);

const stop = () => eleventy.kill("SIGTERM");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
eleventy.on("exit", (code) => process.exit(code ?? 0));
