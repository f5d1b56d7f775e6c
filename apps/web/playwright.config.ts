import { defineConfig } from "@playwright/test";

// End-to-end tests of the built site (`pnpm --filter web build` first) in Debian's headless
// Chromium, never Playwright's downloaded browsers. Two preview servers: one sends COOP/COEP
// (cross-origin isolated: wasm threads), one does not (one thread).
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const args = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps"];
const ISOLATED = 4183;
const PLAIN = 4184;

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  testMatch: "**/*.e2e.ts",
  // no wall-clock limit inside the tests; only this generous guard against a hang
  timeout: 10 * 60_000,
  expect: { timeout: 5 * 60_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results/playwright",
  use: { headless: true, launchOptions: { executablePath, args }, acceptDownloads: true, viewport: { width: 1100, height: 900 } },
  webServer: [
    { command: `pnpm exec vite preview --port ${ISOLATED} --strictPort`, url: `http://localhost:${ISOLATED}/`, reuseExistingServer: false, timeout: 60_000 },
    { command: `pnpm exec vite preview --port ${PLAIN} --strictPort`, url: `http://localhost:${PLAIN}/`, env: { TESSERA_NO_ISOLATION: "1" }, reuseExistingServer: false, timeout: 60_000 },
  ],
  projects: [
    { name: "isolated", testIgnore: /not-isolated|webgpu/, use: { baseURL: `http://localhost:${ISOLATED}/` } },
    // WebGPU on SwiftShader (the CPU), as the blas-webgpu browser battery runs it
    {
      name: "webgpu", testMatch: /webgpu\.e2e\.ts/,
      use: { baseURL: `http://localhost:${ISOLATED}/`, launchOptions: { executablePath, args: [...args, "--enable-unsafe-webgpu"] } },
    },
    { name: "not-isolated", testMatch: /not-isolated\.e2e\.ts/, use: { baseURL: `http://localhost:${PLAIN}/` } },
  ],
});
