/**
 * scope() in a real browser (headless Chromium), where there is no AsyncLocalStorage: the
 * interleaving battery of test/scope-cases.ts, which the Node project also runs with and without it.
 */
import { describe, expect, it } from "vitest";
import { setDefaultDevice } from "@tessera/blas";
import { createAsyncContext } from "#async-context";
import * as ag from "../src/index.js";
import { scopeCases } from "./scope-cases.js";

setDefaultDevice("js");

describe("scope() in Chromium", () => {
  it("runs with the browser twin of #async-context (no AsyncLocalStorage)", () => {
    expect(createAsyncContext()).toBeUndefined();
  });
  scopeCases(async () => ag, "stack");
});
