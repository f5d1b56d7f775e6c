import { defineProject } from "vitest/config";
import { NO_WALL_CLOCK_LIMITS } from "../../vitest.shared.ts";

// Forks (vitest 4's default pool): the library sets V8's relaxed-SIMD flag with v8.setFlagsFromString
// on Node 20, which the threads pool does not allow.
// `src/**/*.test.ts` includes the slow tests (`*.slow.test.ts`, e.g. the heap above 2 GiB), so
// `pnpm test` and `.ci/run` run them too.
export default defineProject({ test: { ...NO_WALL_CLOCK_LIMITS, name: "blas-wasm", include: ["src/**/*.test.ts"], environment: "node", pool: "forks" } });
