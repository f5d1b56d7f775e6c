import { defineProject } from "vitest/config";
import { NO_WALL_CLOCK_LIMITS } from "../../vitest.shared.ts";

// Unit tests of the site's pure parts (src/**/*.test.ts). The browser tests are Playwright's
// (e2e/*.e2e.ts, `pnpm --filter web test:e2e`) and never run here.
export default defineProject({ test: { ...NO_WALL_CLOCK_LIMITS, name: "web", include: ["src/**/*.test.ts"], environment: "node" } });
