import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Settings every test project shares. No test may depend on wall-clock speed: CI runs on a busy
 * 2-core machine, where building VGG-16 or training a few LeNet-5 steps can take many times what it
 * takes on a quiet one. So the per-test limit is only a guard against a hang (15 minutes), far past
 * anything a correct test needs; speed is measured in benchmarks (`pnpm bench`), never here.
 */
export const NO_WALL_CLOCK_LIMITS = { testTimeout: 900_000, hookTimeout: 900_000 } as const;

/**
 * Vite aliases that send a package's `#name` subpath imports (package.json `imports`, pointing into
 * `dist/`) to the twin's source in `src/` for `platform` ("node" or "browser"), so tests run the
 * code they sit beside, not the last build: `"#files": { "node": "./dist/files.node.js", … }`
 * becomes `#files` → `<dir>/src/files.node.ts`.
 */
export function platformImports(dir: string, platform: "node" | "browser"): { find: RegExp; replacement: string }[] {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { imports?: Record<string, Record<string, string>> };
  return Object.entries(pkg.imports ?? {}).map(([name, targets]) => {
    const target = targets[platform] ?? targets.default;
    if (!target?.startsWith("./dist/") || !target.endsWith(".js")) throw new Error(`platformImports: ${name} in ${dir}/package.json must map to ./dist/*.js, got ${target}`);
    return { find: new RegExp(`^${name}$`), replacement: join(dir, "src", target.slice("./dist/".length, -".js".length) + ".ts") };
  });
}

/** Chromium flags of every browser-mode project: quiet, no first-run work, no sandbox (CI runs as root). */
export const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
  "--no-first-run", "--disable-default-apps",
];

/**
 * vitest's `test.browser` block for headless Chromium: Debian's `/usr/bin/chromium` (or
 * `CHROMIUM_PATH`), never playwright's downloaded browsers. `provider` is
 * `@vitest/browser-playwright`'s `playwright` (passed in, so this file needs no dependency of its
 * own); `extraArgs` adds flags such as `--enable-unsafe-webgpu`.
 */
export function chromiumBrowser<P>(
  provider: (options: { launchOptions: { executablePath: string; args: string[] } }) => P,
  extraArgs: readonly string[] = [],
): { enabled: true; headless: true; provider: P; instances: { browser: "chromium" }[] } {
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  return {
    enabled: true,
    headless: true,
    provider: provider({ launchOptions: { executablePath, args: [...CHROMIUM_ARGS, ...extraArgs] } }),
    instances: [{ browser: "chromium" }],
  };
}
