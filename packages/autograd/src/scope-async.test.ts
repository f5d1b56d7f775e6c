/**
 * Async scopes in Node, with AsyncLocalStorage and with the browser twin of `#async-context` (the
 * stack that browsers use); the same battery runs in Chromium (test/scope.browser.test.ts).
 */
import { afterAll, describe, vi } from "vitest";
import { scopeCases } from "../test/scope-cases.js";

describe("async scopes in Node (AsyncLocalStorage)", () => {
  scopeCases(() => import("./index.js"), "als");
});

describe("async scopes with the browser twin (a stack, no AsyncLocalStorage)", () => {
  let loaded: Promise<typeof import("./index.js")> | undefined;
  afterAll(() => {
    vi.doUnmock("#async-context");
    vi.resetModules();
  });
  scopeCases(() => {
    if (!loaded) {
      vi.resetModules();
      vi.doMock("#async-context", () => import("./async-context.browser.js"));
      loaded = import("./index.js");
    }
    return loaded;
  }, "stack");
});
