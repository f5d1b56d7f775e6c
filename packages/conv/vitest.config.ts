import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "conv", include: ["src/**/*.test.ts"], environment: "node" } });
