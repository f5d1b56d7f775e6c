import { playwright } from "@vitest/browser-playwright";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { NO_WALL_CLOCK_LIMITS, platformImports } from "../../vitest.shared.ts";

// Browser persistence (IndexedDB, OPFS, Blob) and the checkpoint codec in headless Chromium:
// Debian's /usr/bin/chromium, never playwright's downloaded browsers. `#files` resolves to its
// browser twin, as in a bundle.
const chromiumArgs = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
  "--no-first-run", "--disable-default-apps"];

export default defineConfig({
  resolve: { alias: platformImports(fileURLToPath(new URL(".", import.meta.url)), "browser") },
  test: {
    ...NO_WALL_CLOCK_LIMITS,
    name: "nn-browser",
    include: ["test/**/*.browser.test.ts"],
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({ launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: chromiumArgs } }),
      instances: [{ browser: "chromium" }],
    },
  },
});
