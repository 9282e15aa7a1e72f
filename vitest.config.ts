import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/helpers/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Builds and Chromium compete for 2 cores; run files one after another for stable timings.
    fileParallelism: false,
    reporters: ["default"],
  },
});
