import { playwright } from "@vitest/browser-playwright";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { NO_WALL_CLOCK_LIMITS, chromiumBrowser, platformImports } from "../../vitest.shared.ts";

// Browser persistence (IndexedDB, OPFS, Blob) and the checkpoint codec in headless Chromium:
// Debian's /usr/bin/chromium, never playwright's downloaded browsers. `#files` resolves to its
// browser twin, as in a bundle.
export default defineConfig({
  resolve: { alias: platformImports(fileURLToPath(new URL(".", import.meta.url)), "browser") },
  test: {
    ...NO_WALL_CLOCK_LIMITS,
    name: "nn-browser",
    include: ["test/**/*.browser.test.ts"],
    browser: chromiumBrowser(playwright),
  },
});
