import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "optim", include: ["src/**/*.test.ts"], environment: "node" } });
