import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkDeps } from "./check-deps.mjs";

function workspace(files) {
  const root = mkdtempSync(join(tmpdir(), "deps-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("dependency-direction check", () => {
  it("accepts imports along the arrows and backends in tests", () => {
    const root = workspace({
      "packages/conv/package.json": JSON.stringify({ name: "@tessera/conv", dependencies: { "@tessera/blas": "workspace:*" } }),
      "packages/conv/src/conv.ts": 'import { sgemm } from "@tessera/blas";\nimport type { X } from "@tessera/ndarray";\n',
      "packages/conv/src/conv.test.ts": 'import { wasmDevice } from "@tessera/blas-wasm";\n',
    });
    expect(checkDeps(root)).toEqual([]);
  });
  it("rejects a library importing a backend or a higher package", () => {
    const root = workspace({
      "packages/conv/package.json": JSON.stringify({ name: "@tessera/conv", dependencies: { "@tessera/nn": "workspace:*" } }),
      "packages/conv/src/conv.ts": 'import "x";\nimport { wasmDevice } from "@tessera/blas-wasm";\nconst t = await import("@tessera/autograd");\n',
    });
    const errors = checkDeps(root);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/package.json depends on @tessera\/nn/);
    expect(errors[1]).toMatch(/conv\.ts:2: @tessera\/conv imports @tessera\/blas-wasm/);
    expect(errors[2]).toMatch(/imports @tessera\/autograd/);
  });
  it("lets @tessera/onnx import @tessera/models in tests only", () => {
    const root = workspace({
      "packages/onnx/package.json": JSON.stringify({ name: "@tessera/onnx", dependencies: { "@tessera/nn": "workspace:*" } }),
      "packages/onnx/src/zoo.test.ts": 'import { lenet5 } from "@tessera/models";\n',
      "packages/onnx/src/export.ts": 'import { Module } from "@tessera/nn";\nimport { lenet5 } from "@tessera/models";\n',
    });
    const errors = checkDeps(root);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/export\.ts:2: @tessera\/onnx imports @tessera\/models/);
  });
  it("rejects a package missing from the table", () => {
    const root = workspace({ "packages/x/package.json": JSON.stringify({ name: "@tessera/x" }) });
    expect(checkDeps(root)[0]).toMatch(/not in the dependency table/);
  });
});
