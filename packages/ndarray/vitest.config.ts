import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "ndarray", include: ["src/**/*.test.ts"], environment: "node" } });
