import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "blas-webgpu", include: ["src/**/*.test.ts"], environment: "node" } });
