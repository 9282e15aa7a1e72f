import { execFile } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "../../src/options.ts";

const run = promisify(execFile);

/** The fixed "now" of the sample-site tests: 2026-11-26 10:00 in Tokyo. */
export const TEST_NOW = "2026-11-26T10:00:00+09:00";

export interface BuildResult {
  ok: boolean;
  output: string;
  stdout: string;
  stderr: string;
}

/** Runs the real production build (`node scripts/build.ts`) in a child process. */
export async function runBuild(options: { output?: string; now?: string; content?: string; data?: string; mode?: string; problemsPage?: string } = {}): Promise<BuildResult> {
  const output = options.output ?? path.join(tempDir("site-"), "_site");
  const args = [path.join(ROOT, "scripts/build.ts"), "--output", output, "--now", options.now ?? TEST_NOW];
  if (options.content) args.push("--content", options.content);
  if (options.data) args.push("--data", options.data);
  if (options.mode) args.push("--mode", options.mode);
  if (options.problemsPage) args.push("--problems-page", options.problemsPage);
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, output, stdout, stderr };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `iotlab-${prefix}`));
}

/** A copy of the sample content that a test may break without touching the repository. */
export function copyOfSampleContent(): string {
  const dir = path.join(tempDir("content-"), "content");
  cpSync(path.join(ROOT, "content"), dir, { recursive: true });
  return dir;
}
