import { playwright } from "@vitest/browser-playwright";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { platformImports } from "../../vitest.shared.ts";

// A subset of the battery in headless Chromium (WebGPU on SwiftShader, enabled by --enable-unsafe-webgpu):
// `pnpm --filter @tessera/blas-webgpu test:browser`. Not part of the root vitest projects (the
// file name is not vitest.config.*), so `pnpm test` does not need Chromium. CHROMIUM_PATH
// overrides the browser binary.
const chromiumArgs = [
  "--no-sandbox", "--enable-unsafe-webgpu", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--disable-quic", "--no-first-run", "--disable-default-apps",
];

export default defineConfig({
  resolve: { alias: platformImports(fileURLToPath(new URL(".", import.meta.url)), "browser") },
  test: {
    name: "blas-webgpu-browser",
    include: ["test/**/*.browser.test.ts"],
    testTimeout: 120_000,
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({ launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: chromiumArgs } }),
      instances: [{ browser: "chromium" }],
    },
  },
});
