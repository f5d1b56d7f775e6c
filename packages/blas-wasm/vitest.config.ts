import { defineProject } from "vitest/config";

// Forks (vitest 4's default pool): the library sets V8's relaxed-SIMD flag with v8.setFlagsFromString
// on Node 20, which the threads pool does not allow (TOOLCHAIN.md F18).
export default defineProject({ test: { name: "blas-wasm", include: ["src/**/*.test.ts"], environment: "node", pool: "forks" } });
