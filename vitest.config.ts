import { defineConfig } from "vitest/config";

// One vitest run over every package (projects mode), so `pnpm test` prints one summary.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", { test: { name: "scripts", include: ["scripts/**/*.test.mjs"] } }],
    reporters: ["default", "./scripts/summary-reporter.ts"],
  },
});
