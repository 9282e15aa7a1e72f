import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../../src/options.ts";

const DIR = path.join(ROOT, ".github/workflows");
const workflows = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));

type Workflow = { on: Record<string, unknown>; jobs: Record<string, { steps?: { uses?: string; run?: string }[]; name?: string }> };
const parsed = (file: string) => load(readFileSync(path.join(DIR, file), "utf8")) as Workflow;

describe("GitHub Actions のワークフロー", () => {
  it("ワークフローがある", () => {
    expect(workflows).toEqual(expect.arrayContaining(["pr.yml", "deploy.yml"]));
  });

  for (const file of workflows) {
    it(`${file} はワークフローのスキーマに合う（action-validator）`, () => {
      const state = validateWorkflow(readFileSync(path.join(DIR, file), "utf8"));
      expect(state.errors.map((e) => `${"path" in e ? e.path : ""} ${e.title}: ${e.detail ?? ""}`)).toEqual([]);
    });

    it(`${file} は Node.js 24 を使い、秘密情報をリポジトリに書かない`, () => {
      const text = readFileSync(path.join(DIR, file), "utf8");
      for (const job of Object.values(parsed(file).jobs)) {
        for (const step of job.steps ?? []) {
          if (step.uses?.startsWith("actions/setup-node")) expect(text).toMatch(/node-version: 24/);
        }
      }
      expect(text).not.toMatch(/(token|secret|password)\s*[:=]\s*['"]?[A-Za-z0-9_]{20,}/i);
    });
  }

  it("プルリクエストでは test・permissions・build が必須チェックの名前で走る", () => {
    const pr = parsed("pr.yml");
    expect(Object.keys(pr.on)).toEqual(["pull_request"]);
    expect(Object.values(pr.jobs).map((j) => j.name)).toEqual(["test", "permissions", "build"]);
    const steps = Object.values(pr.jobs).flatMap((j) => j.steps ?? []).map((s) => s.run ?? "");
    expect(steps.some((r) => r.includes("npm test"))).toBe(true);
    expect(steps.some((r) => r.includes("scripts/check-permissions.ts"))).toBe(true);
    expect(steps.some((r) => r.includes("context=deploy/preview"))).toBe(true);
  });

  it("公開は main へのマージと毎時の定期実行で、変化がなければ配信しない", () => {
    const deploy = parsed("deploy.yml");
    expect(Object.keys(deploy.on).sort()).toEqual(["push", "schedule", "workflow_dispatch"]);
    expect(JSON.stringify(deploy.on.schedule)).toContain('"5 * * * *"');
    expect(readFileSync(path.join(DIR, "deploy.yml"), "utf8")).toContain("build-hash.txt");
  });
});
