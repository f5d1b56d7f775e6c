/** The plain-TypeScript SHA-256 agrees with Node's crypto on every length around the block edges. */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Rng } from "@tessera/ndarray";
import { Sha256 } from "./sha256.js";

describe("Sha256", () => {
  it("matches the FIPS 180-4 examples", () => {
    expect(new Sha256().update("abc").hex()).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(new Sha256().hex()).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("matches node:crypto for lengths 0..200 and split updates", () => {
    const rng = new Rng(3);
    for (let n = 0; n <= 200; n++) {
      const bytes = Uint8Array.from({ length: n }, () => Math.floor(rng.uniform() * 256));
      const cut = Math.floor(n / 3);
      const mine = new Sha256().update(bytes.subarray(0, cut)).update("é;").update(bytes.subarray(cut)).hex();
      const node = createHash("sha256").update(bytes.subarray(0, cut)).update("é;").update(bytes.subarray(cut)).digest("hex");
      expect(mine, `length ${n}`).toBe(node);
    }
  });

  it("refuses to be used after its digest was taken", () => {
    const h = new Sha256();
    h.hex();
    expect(() => h.update("x")).toThrow("Sha256.update: the digest was already taken");
  });
});
