import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { addAssertions, CHECK_SOURCE, collectDocTests, extractBlocks, modulePath } from "./doctest.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function runModule(source, host = join(root, "bench")) {
  const path = join(host, ".doctest", `self-test-${process.pid}-${Math.random().toString(36).slice(2)}.mjs`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, source);
  return spawnSync(process.execPath, [path], { cwd: host, encoding: "utf8" });
}

describe("doc-test runner", () => {
  it("extracts ts blocks, honours no-run, ignores other languages", () => {
    const md = "# t\n```ts\nconst a = 1;\n```\n```sh\nls\n```\n```ts no-run\nimport x from 'nope';\n```\n";
    expect(extractBlocks(md)).toEqual([
      { line: 2, code: "const a = 1;", run: true },
      { line: 8, code: "import x from 'nope';", run: false },
    ]);
    expect(() => extractBlocks("```ts\nopen")).toThrow("unclosed code block opened at line 1");
  });

  it("turns // → lines into assertions that pass and fail as they should", () => {
    const { code, count } = addAssertions("const n = 2 + 2; // → 4\n[1, 2].map((v) => v * 2); // → [2, 4]\nMath.PI; // → 3.1416\n'a' + 'b'; // → ab", "x.md", 1);
    expect(count).toBe(4);
    expect(runModule(`${CHECK_SOURCE}\n${code}`).status).toBe(0);
    for (const [bad, msg] of [["2 + 2; // → 5", "expected 5, got 4"], ["Math.PI; // → 3.15", "expected 3.15, got 3.14159"],
      ["new Float32Array([1]); // → Int32Array [1]", "expected a Int32Array, got Float32Array"],
      ["Promise.resolve(1); // → 1", "the value is a Promise"], ["[1, 2]; // → [1, 3]", "expected [1, 3], got [1,2]"]]) {
      const r = runModule(`${CHECK_SOURCE}\n${addAssertions(bad, "x.md", 1).code}`);
      expect(r.status, bad).not.toBe(0);
      expect(r.stderr, bad).toContain(msg);
    }
  });
});

describe("every ts block of the READMEs and guides runs", async () => {
  const tests = await collectDocTests(root);
  it("finds the blocks", () => expect(tests.length).toBeGreaterThan(10));
  for (const t of tests) {
    it(`${t.file}:${t.line} (${t.assertions} assertion${t.assertions === 1 ? "" : "s"})`, () => {
      const path = modulePath(t);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, t.source);
      const r = spawnSync(process.execPath, [path], { cwd: t.host, encoding: "utf8" });
      expect(r.status, `${t.file}:${t.line}\n${r.stderr}`).toBe(0);
    });
  }
});
