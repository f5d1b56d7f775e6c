import { defineProject } from "vitest/config";

// Dawn reads EGL_PLATFORM from the native environment: a forked process sees what the test sets
// before create(), a worker thread does not (TOOLCHAIN.md F23). llvmpipe is slow: generous timeouts.
export default defineProject({
  test: {
    name: "blas-webgpu", include: ["src/**/*.test.ts"], environment: "node",
    pool: "forks", testTimeout: 60_000, hookTimeout: 60_000,
  },
});
