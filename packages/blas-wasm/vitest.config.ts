import { defineProject } from "vitest/config";
import { NO_WALL_CLOCK_LIMITS } from "../../vitest.shared.ts";

// Forks (vitest 4's default pool): the library sets V8's relaxed-SIMD flag with v8.setFlagsFromString
// on Node 20, which the threads pool does not allow.
export default defineProject({ test: { ...NO_WALL_CLOCK_LIMITS, name: "blas-wasm", include: ["src/**/*.test.ts"], environment: "node", pool: "forks" } });
