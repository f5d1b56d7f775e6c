import { defineConfig } from "vitest/config";
import { NO_WALL_CLOCK_LIMITS } from "./vitest.shared.ts";

// One vitest run over every package (projects mode), so `pnpm test` prints one summary.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", { test: { ...NO_WALL_CLOCK_LIMITS, name: "scripts", include: ["scripts/**/*.test.mjs"] } }],
    reporters: ["default", "./scripts/summary-reporter.ts"],
  },
});
