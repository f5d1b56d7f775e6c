/**
 * Builds every browser entry of the workspace packages (publicEntries of scripts/bundle.mjs, the
 * list the esbuild check walks) with the two bundlers most apps use, as an app would: a production
 * build by **Vite** and by **webpack 5** (target `web`), one build per tool with every entry as an
 * input, in a temp folder whose `node_modules/@tessera/*` link to packages/. Each entry is
 * `import * as m from "<entry>"; globalThis.… = m`, so nothing of an entry is tree-shaken away.
 * Reports what a browser build must not hold: build errors or warnings, a Node built-in (resolved,
 * stubbed by Vite's browser-external shim, or a quoted `node:` specifier in the output), and an
 * inlined wasm module (base64 or a data: URL) instead of a separate `.wasm` asset file.
 * `runInChromium` serves a build's output and runs it in headless Chromium, so a test can check
 * that the bundled wasm device loads its `.wasm` from where the bundler put it.
 * Used by scripts/bundle-tools.test.mjs.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import { ROOT } from "./bundle.mjs";

/** A quoted `node:` specifier anywhere in the output: an import of a Node built-in, seen or hidden. */
const NODE_SPECIFIER = /(["'`])node:[\w/]+\1/g;
/** `\0asm` in base64 (at any of the three byte alignments) or a wasm data: URL: a module inlined in JS. */
const INLINED_WASM = /AGFzbQ|Bhc20|YXNt[A-Za-z0-9+/]{2}AAAA|data:application\/wasm/;
/** What Vite puts in place of a Node built-in it could not resolve for the browser. */
const VITE_EXTERNAL = /__vite-browser-external/;

/**
 * Makes the temp folder: one entry file per specifier (`e0.js`, `e1.js`, …) and links to the packages.
 * Returns its path and the entry names.
 */
export function prepareProject(specifiers, root = ROOT) {
  const dir = mkdtempSync(join(tmpdir(), "tessera-bundle-"));
  mkdirSync(join(dir, "node_modules", "@tessera"), { recursive: true });
  for (const pkg of readdirSync(join(root, "packages"))) {
    const file = join(root, "packages", pkg, "package.json");
    let name;
    try {
      name = JSON.parse(readFileSync(file, "utf8")).name;
    } catch {
      continue;
    }
    symlinkSync(join(root, "packages", pkg), join(dir, "node_modules", ...name.split("/")), "dir");
  }
  const inputs = {};
  specifiers.forEach((s, i) => {
    const name = `e${i}`;
    inputs[name] = join(dir, `${name}.js`);
    writeFileSync(inputs[name], `import * as m from ${JSON.stringify(s)};\nglobalThis.__tesseraBundleCheck = m;\n`);
  });
  return { dir, inputs, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every file under `dir`, with its path relative to `dir` and its size. */
function filesUnder(dir) {
  const out = [];
  const walk = (d) => {
    for (const f of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, f.name);
      if (f.isDirectory()) walk(p);
      else out.push({ name: relative(dir, p), path: p, size: statSync(p).size });
    }
  };
  walk(dir);
  return out;
}

/** The problems in a build's output folder: node built-ins and inlined wasm in JS, no `.wasm` asset. */
export function outputProblems(outDir) {
  const files = filesUnder(outDir);
  const problems = [];
  for (const f of files.filter((x) => /\.(m?js|cjs)$/.test(x.name))) {
    const code = readFileSync(f.path, "utf8");
    for (const m of code.matchAll(NODE_SPECIFIER)) problems.push(`node built-in in ${f.name}: ${m[0]}`);
    if (VITE_EXTERNAL.test(code)) problems.push(`a Node built-in replaced by Vite's browser-external stub in ${f.name}`);
    const w = code.match(INLINED_WASM);
    if (w) problems.push(`a wasm module inlined in ${f.name} (${w[0]}) instead of a separate .wasm asset`);
  }
  const wasm = files.filter((x) => x.name.endsWith(".wasm"));
  if (wasm.length === 0) problems.push("no .wasm asset file in the output (the wasm device's modules must be separate files)");
  return { files, wasm, problems };
}

/** A production Vite build (app mode, every entry an input). Returns `{ files, wasm, problems }`. */
export async function buildWithVite(inputs, dir) {
  const { build, createLogger } = await import("vite");
  const problems = [];
  const logger = createLogger("silent");
  logger.warn = (msg) => problems.push(`vite warning: ${msg}`);
  logger.warnOnce = logger.warn;
  logger.error = (msg) => problems.push(`vite error: ${msg}`);
  const outDir = join(dir, "dist-vite");
  try {
    await build({
      root: dir,
      configFile: false,
      logLevel: "warn",
      customLogger: logger,
      mode: "production",
      build: {
        outDir,
        emptyOutDir: true,
        minify: true,
        reportCompressedSize: false,
        // Chunk sizes are the size budget's business (scripts/sizes.mjs), not a bundling problem.
        chunkSizeWarningLimit: 1e9,
        rolldownOptions: {
          input: inputs,
          preserveEntrySignatures: "strict",
          onwarn: (w) => problems.push(`rolldown warning: ${w.message}`),
        },
      },
    });
  } catch (e) {
    return { files: [], wasm: [], problems: [...problems, `vite build failed: ${e.message}`] };
  }
  const out = outputProblems(outDir);
  return { ...out, problems: [...problems, ...out.problems] };
}

/** A production webpack 5 build for the browser (target web, every entry an entry). */
export async function buildWithWebpack(inputs, dir) {
  const { default: webpack } = await import("webpack");
  const outDir = join(dir, "dist-webpack");
  const entry = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, `./${basename(v)}`]));
  const stats = await new Promise((resolve, reject) => {
    webpack({ mode: "production", target: "web", context: dir, entry, output: { path: outDir, clean: true }, infrastructureLogging: { level: "none" } }, (err, s) => (err ? reject(err) : resolve(s)));
  }).catch((e) => e);
  if (stats instanceof Error) return { files: [], wasm: [], problems: [`webpack failed: ${stats.message}`] };
  const info = stats.toJson({ all: false, errors: true, warnings: true });
  const problems = [
    ...info.errors.map((e) => `webpack error: ${e.moduleName ?? ""} ${e.message.split("\n")[0]}`),
    // The size hints (a bundle over 244 KiB) are advice for an app, not a problem of the library.
    ...info.warnings.filter((w) => !/asset size limit|entrypoint size limit|webpack performance recommendations/i.test(w.message)).map((w) => `webpack warning: ${w.message.split("\n")[0]}`),
  ];
  if (stats.hasErrors()) return { files: [], wasm: [], problems };
  const out = outputProblems(outDir);
  return { ...out, problems: [...problems, ...out.problems] };
}

/** Content types of the static server below (`.wasm` as browsers want it for compileStreaming). */
const CONTENT_TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };

/**
 * Serves `outDir` on localhost with a page that loads `script` (as a module when `module`), opens it
 * in headless Chromium (Debian's, or `CHROMIUM_PATH`; playwright from @tessera/blas-wasm's
 * devDependencies) and waits until the page sets `document.title` to `done: …`. Returns that title
 * and the paths the page requested.
 */
export async function runInChromium(outDir, script, module) {
  const { createServer } = await import("node:http");
  const { extname } = await import("node:path");
  const { createRequire } = await import("node:module");
  const { chromium } = createRequire(join(ROOT, "packages", "blas-wasm", "package.json"))("playwright");
  writeFileSync(join(outDir, "index.html"), `<!doctype html><title>loading</title><script ${module ? 'type="module" ' : ""}src="/${script}"></script>\n`);
  const requested = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://localhost").pathname;
    requested.push(path);
    const file = join(outDir, path === "/" ? "index.html" : path.slice(1));
    if (!file.startsWith(outDir)) return res.writeHead(403).end();
    let body;
    try {
      body = readFileSync(file);
    } catch {
      return res.writeHead(404).end();
    }
    res.writeHead(200, { "content-type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-background-networking", "--no-first-run"] });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => document.title.startsWith("done"), null, { timeout: 120_000 });
    return { title: await page.title(), requested, errors };
  } finally {
    await browser.close();
    server.close();
  }
}
