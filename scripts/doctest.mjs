/**
 * The doc-test runner: every ```ts block of the READMEs and guides is a program that runs.
 *
 * - A block runs as an ES module (TypeScript stripped by the TypeScript compiler's transpiler) from
 *   the folder of the package whose README holds it, so `import … from "@tessera/…"` resolves as it
 *   does for a user of that package; root and docs/ blocks run from bench/, which depends on every
 *   package.
 * - A line `statement; // → expected` asserts the statement's value: `expected` is a JS literal
 *   (`[1, 2]`, `"text"`, `true`, `12730`, `Float32Array [19, 22]`) compared deeply, or a number
 *   printed with fewer digits (`0.298371`, or with a trailing `…`) compared to the digits shown, or
 *   else text compared with `String(value)`. `const x = …; // → v` asserts `x`. Two spaces end
 *   the value, so a note may follow: `// → [3, 2]  (columns 1..2)`.
 * - A block that is not meant to run says so in its info string: ```ts no-run (a fragment, a
 *   browser-only snippet). Blocks of other languages (sh, json) are not run.
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";

/** Markdown files whose ts blocks run, relative to the repository root. */
export function docFiles(root) {
  const out = [];
  const add = (p) => existsSync(join(root, p)) && out.push(p);
  add("README.md");
  for (const group of ["packages", "apps"]) {
    if (!existsSync(join(root, group))) continue;
    for (const d of readdirSync(join(root, group)).sort()) add(`${group}/${d}/README.md`);
  }
  for (const dir of ["docs", "docs/guides"]) {
    if (!existsSync(join(root, dir))) continue;
    for (const f of readdirSync(join(root, dir)).sort()) if (f.endsWith(".md")) out.push(`${dir}/${f}`);
  }
  return out;
}

/**
 * The ```ts blocks of a markdown text: `{ line, code, run }` (line: 1-based line of the fence).
 * @param {string} text
 */
export function extractBlocks(text) {
  const lines = text.split("\n");
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(```+)\s*(ts|typescript)\b(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, , rest] = open;
    const body = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j].startsWith(`${indent}${fence}`); j++) body.push(lines[j].slice(indent.length));
    if (j === lines.length) throw new Error(`unclosed code block opened at line ${i + 1}`);
    blocks.push({ line: i + 1, code: body.join("\n"), run: !/\bno-run\b/.test(rest) });
    i = j;
  }
  return blocks;
}

const ARROW = /^(\s*)(.*?);?\s*\/\/\s*→\s*(.+?)\s*$/;
const DECL = /^(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=/;

/**
 * Rewrites `// →` lines into assertions. Returns the new source and the number of assertions.
 * @param {string} code
 * @param {string} where  file:line of the block, for messages
 */
export function addAssertions(code, where, firstLine) {
  let count = 0;
  const lines = code.split("\n").map((line, i) => {
    const m = ARROW.exec(line);
    if (!m || m[2].trim() === "") return line;
    const [, indent, stmt, tail] = m;
    const expected = tail.split(/\s{2,}/)[0]; // two spaces end the value: `// → 4  (why)`
    const at = JSON.stringify(`${where}:${firstLine + 1 + i}`);
    count++;
    const decl = DECL.exec(stmt);
    if (decl) return `${indent}${stmt}; __doctest.check(${decl[1]}, ${JSON.stringify(expected)}, ${at});`;
    return `${indent}__doctest.check((${stmt}), ${JSON.stringify(expected)}, ${at});`;
  });
  return { code: lines.join("\n"), count };
}

/** The folder a block of `file` runs from (it must have a package.json whose dependencies it imports). */
export function hostDir(root, file) {
  const m = /^(packages|apps)\/([^/]+)\/README\.md$/.exec(file);
  return m ? join(root, m[1], m[2]) : join(root, "bench");
}

/** Source of the assertion helper prepended to each block. */
export const CHECK_SOURCE = `
const __doctest = {
  check(actual, expected, where) {
    const fail = (why) => { throw new Error(\`doc-test \${where}: \${why}\`); };
    if (actual && typeof actual.then === "function") fail("the value is a Promise: write 'await' before it");
    const num = /^(-?\\d+(?:\\.\\d+)?(?:e[-+]?\\d+)?)(…)?$/i.exec(expected.replace(/,/g, ""));
    if (typeof actual === "number" && num) {
      const want = Number(num[1]);
      const digits = (num[1].split(".")[1] ?? "").replace(/e.*/i, "").length;
      const tol = num[2] || digits > 0 ? 0.5 * 10 ** -digits * (num[2] ? 2 : 1) : 0;
      if (Math.abs(actual - want) <= tol || (tol === 0 && Object.is(actual, want))) return;
      fail(\`expected \${expected}, got \${actual}\`);
    }
    const typed = /^(Float32Array|Float64Array|Int32Array|Uint8Array)\\s*(\\[.*\\])$/.exec(expected);
    if (typed) {
      if (actual?.constructor?.name !== typed[1]) fail(\`expected a \${typed[1]}, got \${actual?.constructor?.name ?? typeof actual}\`);
      return __doctest.deep([...actual], JSON.parse(typed[2]), expected, where);
    }
    let literal;
    try { literal = JSON.parse(expected); } catch { literal = undefined; }
    if (literal !== undefined) return __doctest.deep(actual, literal, expected, where);
    if (String(actual) !== expected) fail(\`expected \${expected}, got \${String(actual)}\`);
  },
  deep(actual, want, expected, where) {
    const norm = (v) => ArrayBuffer.isView(v) ? [...v] : v;
    const a = JSON.stringify(norm(actual), (_, v) => ArrayBuffer.isView(v) ? [...v] : v);
    if (a !== JSON.stringify(want)) throw new Error(\`doc-test \${where}: expected \${expected}, got \${a}\`);
  },
};
`;

/**
 * Every runnable block of the repository as `{ file, line, source, host, assertions }`, the source
 * transpiled to JavaScript with the assertion helper in front.
 */
export async function collectDocTests(root) {
  const ts = (await import("typescript")).default;
  const tests = [];
  for (const file of docFiles(root)) {
    const text = readFileSync(join(root, file), "utf8");
    for (const b of extractBlocks(text)) {
      if (!b.run) continue;
      const { code, count } = addAssertions(b.code, file, b.line);
      const js = ts.transpileModule(code, {
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false },
        reportDiagnostics: false,
      }).outputText;
      tests.push({ file, line: b.line, source: `${CHECK_SOURCE}\n${js}`, host: hostDir(root, file), assertions: count });
    }
  }
  return tests;
}

/** Where a test writes its module (inside the host, so package resolution is the user's). */
export function modulePath(test) {
  const name = `${test.file.replace(/[^A-Za-z0-9]+/g, "-")}-${test.line}.mjs`;
  return join(test.host, ".doctest", name);
}

export const relativeTo = (root, p) => relative(root, p) || ".";
export const folderOf = dirname;
