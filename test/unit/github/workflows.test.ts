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
    expect(workflows).toEqual(expect.arrayContaining(["pr.yml", "permissions.yml", "deploy.yml", "monitor.yml", "nightly.yml"]));
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

  it("プルリクエストでは test・build・permissions が必須チェックの名前で走る", () => {
    const pr = parsed("pr.yml");
    expect(Object.keys(pr.on)).toEqual(["pull_request"]);
    expect(Object.values(pr.jobs).map((j) => j.name)).toEqual(["test", "build"]);
    const steps = Object.values(pr.jobs).flatMap((j) => j.steps ?? []).map((s) => s.run ?? "");
    expect(steps.some((r) => r.includes("npm test"))).toBe(true);
    expect(steps.some((r) => r.includes("context=deploy/preview"))).toBe(true);
  });

  it("内容に問題があるときも、直す点の一覧をプレビューとして公開し、Decap に知らせる", () => {
    const build = parsed("pr.yml").jobs.build!.steps! as { id?: string; if?: string; run?: string; env?: Record<string, string> }[];
    const previewBuild = build.find((s) => s.id === "preview-build")!;
    expect(previewBuild.run).toContain("--problems-page _problems");
    const deploy = build.find((s) => s.id === "preview")!;
    // Runs after a failed preview build, and then deploys the problems page instead.
    expect(deploy.if).toContain("!cancelled()");
    expect(deploy.if).toContain("steps.preview-build.outcome == 'failure'");
    expect(deploy.env!.PREVIEW_DIR).toContain("'_problems'");
    expect(deploy.run).toContain('"$PREVIEW_DIR"');
    const report = build.find((s) => s.run?.includes("context=deploy/preview"))!;
    expect(report.if).toContain("!cancelled()");
    // The production build still runs (and fails the check) when the preview build failed.
    expect(build.find((s) => s.run === "npm run build")!.if).toContain("!cancelled()");
  });

  it("権限チェックは base ブランチのコードで走り、PR のコードを実行しない", () => {
    const wf = parsed("permissions.yml");
    expect(Object.keys(wf.on)).toEqual(["pull_request_target"]);
    const job = Object.values(wf.jobs)[0]!;
    expect(job.name).toBe("permissions");
    const text = readFileSync(path.join(DIR, "permissions.yml"), "utf8");
    expect(text).toContain("ref: ${{ github.event.pull_request.base.sha }}");
    expect(text).not.toMatch(/ref: \$\{\{ github\.event\.pull_request\.head/);
    expect(job.steps!.some((s) => s.run?.includes("scripts/check-permissions.ts"))).toBe(true);
  });

  it("公開は main へのマージと毎時の定期実行で、変化がなければ配信しない", () => {
    const deploy = parsed("deploy.yml");
    expect(Object.keys(deploy.on).sort()).toEqual(["push", "schedule", "workflow_dispatch"]);
    expect(JSON.stringify(deploy.on.schedule)).toContain('"5 * * * *"');
    expect(readFileSync(path.join(DIR, "deploy.yml"), "utf8")).toContain("build-hash.txt");
  });
});
