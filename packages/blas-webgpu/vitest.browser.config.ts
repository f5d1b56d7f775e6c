import { playwright } from "@vitest/browser-playwright";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { NO_WALL_CLOCK_LIMITS, chromiumBrowser, platformImports } from "../../vitest.shared.ts";

// A subset of the battery in headless Chromium (WebGPU on SwiftShader, enabled by --enable-unsafe-webgpu):
// `pnpm --filter @tessera/blas-webgpu test:browser`. Not part of the root vitest projects (the
// file name is not vitest.config.*), so `pnpm test` does not need Chromium. CHROMIUM_PATH
// overrides the browser binary.
export default defineConfig({
  resolve: { alias: platformImports(fileURLToPath(new URL(".", import.meta.url)), "browser") },
  test: {
    ...NO_WALL_CLOCK_LIMITS,
    name: "blas-webgpu-browser",
    include: ["test/**/*.browser.test.ts"],
    browser: chromiumBrowser(playwright, ["--enable-unsafe-webgpu"]),
  },
});
