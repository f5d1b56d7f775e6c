import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "blas", include: ["src/**/*.test.ts"], environment: "node" } });
