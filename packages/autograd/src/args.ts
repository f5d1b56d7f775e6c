/**
 * Checks of public arguments, for callers without types (plain JS, JSON configs): a missing or
 * mistyped argument gets an error that names the function, the argument, what was expected and
 * what came, never `Cannot read properties of undefined`.
 * @internal
 */
import { MAX_ELEMENTS } from "@tessera/ndarray";
import type { Tensor } from "./tensor.js";

/** A short description of any value for messages: `undefined`, `"abc"`, `an Array`, `a Promise`. */
export function describe(v: unknown): string {
  if (v === undefined || v === null || typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === "function") return "a function";
  if (typeof v === "symbol") return v.toString();
  if (Array.isArray(v)) return `an Array [${v.slice(0, 8).map((e) => (typeof e === "number" ? String(e) : typeof e)).join(", ")}${v.length > 8 ? ", …" : ""}]`;
  const name = (Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null)?.constructor?.name;
  return name && name !== "Object" ? `a ${name}` : "an object";
}

/** True for a tensor of any copy of this package. */
export function isTensor(v: unknown): v is Tensor {
  if (v === null || typeof v !== "object") return false;
  try {
    return (v as { isTensor?: unknown }).isTensor === true;
  } catch {
    return false; // proxies that throw on unknown properties
  }
}

/** Throws a TypeError unless `v` is a tensor. */
export function checkTensor(fn: string, name: string, v: unknown): asserts v is Tensor {
  if (!isTensor(v)) {
    const hint = v instanceof Promise ? " (a Promise: await it first)" : "";
    throw new TypeError(`${fn}: ${name} must be a Tensor, got ${describe(v)}${hint}`);
  }
}

/** Throws a TypeError unless `v` is a number (NaN and ±Infinity included: elementwise math allows them). */
export function checkNumber(fn: string, name: string, v: unknown): asserts v is number {
  if (typeof v !== "number") throw new TypeError(`${fn}: ${name} must be a number, got ${describe(v)}`);
}

/** Throws unless `v` is a finite number. */
export function checkFinite(fn: string, name: string, v: unknown): asserts v is number {
  checkNumber(fn, name, v);
  if (!Number.isFinite(v)) throw new RangeError(`${fn}: ${name} must be a finite number, got ${v}`);
}

/** Throws unless `v` is an integer (safe, any sign). */
export function checkInteger(fn: string, name: string, v: unknown): asserts v is number {
  checkNumber(fn, name, v);
  if (!Number.isSafeInteger(v)) throw new RangeError(`${fn}: ${name} must be an integer, got ${v}`);
}

/** Throws unless `v` is an options object (or undefined when `optional`). */
export function checkOptions(fn: string, name: string, v: unknown, optional: boolean): void {
  if (v === undefined && optional) return;
  if (v === null || typeof v !== "object" || Array.isArray(v) || isTensor(v)) {
    throw new TypeError(`${fn}: ${name} must be an options object, got ${describe(v)}`);
  }
}

/**
 * Throws unless `shape` is an array of non-negative safe integers whose product is a safe
 * integer. Negative sizes, fractions, NaN and Infinity are rejected, never guessed at.
 */
export function checkShape(fn: string, name: string, shape: unknown): asserts shape is readonly number[] {
  if (!Array.isArray(shape)) throw new TypeError(`${fn}: ${name} must be an array of non-negative integers, got ${describe(shape)}`);
  let size = 1;
  shape.forEach((d: unknown, i) => {
    if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 0) {
      throw new RangeError(`${fn}: ${name} must be an array of non-negative integers, got [${shape.map(String).join(", ")}] (dimension ${i} is ${describe(d)})`);
    }
    size *= d;
  });
  if (!Number.isSafeInteger(size) || size > MAX_ELEMENTS) {
    throw new RangeError(`${fn}: ${name} [${shape.join(", ")}] has ${size} elements, more than the 2^32 = ${MAX_ELEMENTS} one buffer can hold`);
  }
}
