import { defineProject } from "vitest/config";

// Forks (vitest 4's default pool): the library sets V8's relaxed-SIMD flag with v8.setFlagsFromString
// on Node 20, which the threads pool does not allow.
// `src/**/*.test.ts` includes the slow tests (`*.slow.test.ts`, e.g. the heap above 2 GiB), so
// `pnpm test` and `.ci/run` run them too.
export default defineProject({ test: { name: "blas-wasm", include: ["src/**/*.test.ts"], environment: "node", pool: "forks" } });
