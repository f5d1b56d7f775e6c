import { playwright } from "@vitest/browser-playwright";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { NO_WALL_CLOCK_LIMITS, chromiumBrowser, platformImports } from "../../vitest.shared.ts";

// The conformance battery in headless Chromium: Debian's /usr/bin/chromium, never
// playwright's downloaded browsers. COOP/COEP make the page cross-origin isolated, so shared wasm
// memory and the worker pool work (without them the device falls back to one thread).
export default defineConfig({
  resolve: { alias: platformImports(fileURLToPath(new URL(".", import.meta.url)), "browser") },
  server: { headers: { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" } },
  test: {
    ...NO_WALL_CLOCK_LIMITS,
    name: "blas-wasm-browser",
    include: ["test/**/*.browser.test.ts"],
    browser: chromiumBrowser(playwright),
  },
});
