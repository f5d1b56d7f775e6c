import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "blas-wasm", include: ["src/**/*.test.ts"], environment: "node" } });
