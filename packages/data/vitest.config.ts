import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";
import { NO_WALL_CLOCK_LIMITS, platformImports } from "../../vitest.shared.ts";

export default defineProject({
  resolve: { alias: platformImports(fileURLToPath(new URL(".", import.meta.url)), "node") },
  test: { ...NO_WALL_CLOCK_LIMITS, name: "data", include: ["src/**/*.test.ts"], environment: "node" },
});
