import { defineProject } from "vitest/config";
import { NO_WALL_CLOCK_LIMITS } from "../../vitest.shared.ts";

export default defineProject({ test: { ...NO_WALL_CLOCK_LIMITS, name: "onnx", include: ["src/**/*.test.ts"], environment: "node" } });
