import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GatewayConfigError, parseConfig } from "../../../src/auth-gateway/config.ts";
import { handleRequest } from "../../../src/auth-gateway/handler.ts";
import { startGatewayServer } from "../../../src/auth-gateway/node-server.ts";
import { ROOT } from "../../../src/options.ts";

const SECRET = "s3cr3t-value-that-must-not-leak";
const GOOD = {
  GITHUB_CLIENT_ID: "Ov23liExample",
  GITHUB_CLIENT_SECRET: SECRET,
  ALLOWED_ORIGIN: "https://iot-lab-portal.example.jp",
};

function problems(env: Record<string, unknown>): string[] {
  const result = parseConfig(env);
  return result.ok ? [] : result.problems;
}

describe("parseConfig", () => {
  it("accepts the required three and fills in the defaults", () => {
    expect(parseConfig(GOOD)).toEqual({
      ok: true,
      config: {
        clientId: "Ov23liExample",
        clientSecret: SECRET,
        allowedOrigin: "https://iot-lab-portal.example.jp",
        githubBaseUrl: "https://github.com",
        scope: "repo,user",
      },
    });
  });

  it("names every missing variable at once, in Japanese and English", () => {
    expect(problems({})).toEqual([
      "GITHUB_CLIENT_ID が設定されていません / GITHUB_CLIENT_ID is not set",
      "GITHUB_CLIENT_SECRET が設定されていません / GITHUB_CLIENT_SECRET is not set",
      "ALLOWED_ORIGIN が設定されていません / ALLOWED_ORIGIN is not set",
    ]);
    // Blank and non-string bindings count as missing.
    expect(problems({ ...GOOD, GITHUB_CLIENT_SECRET: "  " })).toEqual(["GITHUB_CLIENT_SECRET が設定されていません / GITHUB_CLIENT_SECRET is not set"]);
    expect(problems({ ...GOOD, GITHUB_CLIENT_ID: 42 })).toHaveLength(1);
  });

  it.each([
    ["*", "URL ではありません"],
    ["null", "URL ではありません"],
    ["https://iot-lab-portal.example.jp/", "オリジン"],
    ["https://iot-lab-portal.example.jp/admin/", "オリジン"],
    ["http://iot-lab-portal.example.jp", "https"],
  ])("refuses ALLOWED_ORIGIN %s", (value, expected) => {
    const found = problems({ ...GOOD, ALLOWED_ORIGIN: value });
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(expected);
  });

  it("allows plain http on loopback only (local trials and tests)", () => {
    expect(problems({ ...GOOD, ALLOWED_ORIGIN: "http://127.0.0.1:8080" })).toEqual([]);
    expect(problems({ ...GOOD, ALLOWED_ORIGIN: "http://localhost:8080", GITHUB_BASE_URL: "http://127.0.0.1:9999" })).toEqual([]);
  });

  it("takes GITHUB_BASE_URL for GitHub Enterprise, without a trailing slash", () => {
    const result = parseConfig({ ...GOOD, GITHUB_BASE_URL: "https://ghe.example.go.jp/" });
    expect(result.ok && result.config.githubBaseUrl).toBe("https://ghe.example.go.jp");
    expect(problems({ ...GOOD, GITHUB_BASE_URL: "http://ghe.example.go.jp" })).toHaveLength(1);
    expect(problems({ ...GOOD, GITHUB_BASE_URL: "https://ghe.example.go.jp/?x=1" })).toHaveLength(1);
    expect(problems({ ...GOOD, GITHUB_BASE_URL: "not a url" })).toHaveLength(1);
  });

  it("checks SCOPE", () => {
    expect(problems({ ...GOOD, SCOPE: "repo read:user" })).toEqual([]);
    expect(problems({ ...GOOD, SCOPE: "repo&client_secret=x" })).toHaveLength(1);
  });

  it("never quotes the secret in a problem", () => {
    const found = problems({ ...GOOD, GITHUB_CLIENT_ID: "bad id", ALLOWED_ORIGIN: "*", SCOPE: "!" });
    expect(found).toHaveLength(3);
    expect(found.join("\n")).not.toContain(SECRET);
  });
});

describe("a misconfigured gateway", () => {
  it("serves nothing but a 500 page that names the problem", async () => {
    for (const url of ["https://gw.example/auth", "https://gw.example/callback?code=x&state=y", "https://gw.example/"]) {
      const response = await handleRequest(new Request(url), { ...GOOD, ALLOWED_ORIGIN: "https://site.example/" });
      expect(response.status).toBe(500);
      expect(response.headers.get("location")).toBeNull();
      const body = await response.text();
      expect(body).toContain("ログイン用ゲートウェイの設定に誤りがあります");
      expect(body).toContain("ALLOWED_ORIGIN must be an exact origin");
      expect(body).not.toContain(SECRET);
      expect(body).not.toContain("<script");
    }
  });

  it("does not start as a server", async () => {
    const { GITHUB_CLIENT_SECRET: _omitted, ...withoutSecret } = GOOD;
    await expect(startGatewayServer({ env: withoutSecret })).rejects.toThrow(GatewayConfigError);
    await expect(startGatewayServer({ env: withoutSecret })).rejects.toThrow(/GITHUB_CLIENT_SECRET is not set/);
    await expect(startGatewayServer({ env: GOOD, publicUrl: "http://cms-auth.example.jp" })).rejects.toThrow(/PUBLIC_URL/);
    await expect(startGatewayServer({ env: GOOD, publicUrl: "https://cms-auth.example.jp/gw" })).rejects.toThrow(/PUBLIC_URL/);
  });
});

describe("node-server.ts on the command line", () => {
  function run(env: Record<string, string>, until?: RegExp): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(ROOT, "src/auth-gateway/node-server.ts")], {
        env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: "0", ...env },
      });
      let stdout = "";
      let stderr = "";
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
        if (until?.test(stdout)) child.kill("SIGTERM");
      });
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  }

  it("exits 1 with a clear message when configuration is missing", async () => {
    const { code, stderr } = await run({ GITHUB_CLIENT_ID: "Ov23liExample" });
    expect(code).toBe(1);
    expect(stderr).toContain("The OAuth gateway is misconfigured");
    expect(stderr).toContain("GITHUB_CLIENT_SECRET is not set");
    expect(stderr).toContain("ALLOWED_ORIGIN が設定されていません");
  });

  it("starts, says where, and stops cleanly on SIGTERM", async () => {
    const { code, stdout } = await run({ ...GOOD, PUBLIC_URL: "https://cms-auth.example.jp" }, /listening/);
    expect(stdout).toMatch(/OAuth gateway listening on http:\/\/127\.0\.0\.1:\d+; public URL https:\/\/cms-auth\.example\.jp/);
    expect(stdout).not.toContain(SECRET);
    expect(code).toBe(0);
  });
});
