import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";
import { NO_WALL_CLOCK_LIMITS, platformImports } from "../../vitest.shared.ts";

// Dawn reads EGL_PLATFORM from the native environment: a forked process sees what the test sets
// before create(), a worker thread does not. llvmpipe is slow (the shared limits only guard against hangs).
export default defineProject({
  resolve: { alias: platformImports(fileURLToPath(new URL(".", import.meta.url)), "node") },
  test: {
    ...NO_WALL_CLOCK_LIMITS, name: "blas-webgpu", include: ["src/**/*.test.ts"], environment: "node",
    pool: "forks",
  },
});
