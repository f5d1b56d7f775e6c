import { playwright } from "@vitest/browser-playwright";
import { defineConfig } from "vitest/config";

// The conformance battery in headless Chromium: Debian's /usr/bin/chromium, never
// playwright's downloaded browsers. COOP/COEP make the page cross-origin isolated, so shared wasm
// memory and the worker pool work (without them the device falls back to one thread).
const chromiumArgs = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
  "--no-first-run", "--disable-default-apps"];

export default defineConfig({
  server: { headers: { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" } },
  test: {
    name: "blas-wasm-browser",
    include: ["test/**/*.browser.test.ts"],
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({ launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: chromiumArgs } }),
      instances: [{ browser: "chromium" }],
    },
  },
});
