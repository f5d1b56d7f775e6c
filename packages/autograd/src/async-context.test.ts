import { describe, expect, it } from "vitest";
import { createAsyncContext as browserContext } from "./async-context.browser.js";
import { createAsyncContext as nodeContext } from "./async-context.node.js";
import { createAsyncContext } from "#async-context";

describe("#async-context: the Node and browser twins", () => {
  it("resolves to the Node twin under Node, which keeps its store across await", async () => {
    expect(createAsyncContext).toBe(nodeContext);
    const ctx = nodeContext<string>()!;
    const seen = await ctx.run("outer", async () => {
      await new Promise((r) => setTimeout(r, 0));
      return ctx.getStore();
    });
    expect(seen).toBe("outer");
    expect(ctx.getStore()).toBeUndefined();
  });

  it("the browser twin has none (scope() then uses its stack)", () => {
    expect(browserContext()).toBeUndefined();
  });
});
