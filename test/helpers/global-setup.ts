import type { TestProject } from "vitest/node";
import { runBuild } from "./build.ts";

declare module "vitest" {
  export interface ProvidedContext {
    siteDir: string;
  }
}

/** Builds the sample site once, with the fixed test "now", for every suite that reads it. */
export async function setup(project: TestProject) {
  const result = await runBuild();
  if (!result.ok) throw new Error(`sample site build failed:\n${result.stderr}\n${result.stdout}`);
  project.provide("siteDir", result.output);
}
