/**
 * Argument checks shared by the geometry helpers and the device-level functions. Every error names
 * the function, the argument, what was expected and what was given (the house format of
 * `@tessera/blas`: `fn: message`).
 * @internal
 */
import type { Device, DeviceBuffer } from "@tessera/blas";

/** Throws a `RangeError` `fn: message`. @internal */
export function fail(fn: string, message: string): never {
  throw new RangeError(`${fn}: ${message}`);
}

/** Formats a shape as `[2,3,4]`. @internal */
export function fmt(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}

/** A positive integer (strides, dilations, groups, window sizes). @internal */
export function checkPositive(fn: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) fail(fn, `${name} must be a positive integer, got ${value}`);
}

/** A finite number (LRN constants). @internal */
export function checkFinite(fn: string, name: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value)) fail(fn, `${name} must be a finite number, got ${value}`);
}

/**
 * Resolves `v` or `[vh, vw]` to a pair of positive integers; the message names both values.
 * @internal
 */
export function positivePair(fn: string, name: string, value: number | readonly number[]): [number, number] {
  const pair = typeof value === "number" ? [value, value] : [...value];
  if (pair.length !== 2 || pair.some((v) => typeof v !== "number" || !Number.isInteger(v) || v < 1)) {
    fail(fn, `${name} must be a positive integer or a pair [h, w] of positive integers, got ${JSON.stringify(value)}`);
  }
  return [pair[0], pair[1]];
}

/** Checks a 4-D NCHW shape of positive C, H, W and returns it (N may be 0). @internal */
export function checkNCHW(fn: string, name: string, shape: readonly number[]): [number, number, number, number] {
  if (!Array.isArray(shape) || shape.length !== 4 || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    fail(fn, `${name} must be a 4-D shape [N, C, H, W] of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  const [N, C, H, W] = shape;
  if (C < 1 || H < 1 || W < 1) fail(fn, `${name} ${fmt(shape)} must have C, H and W >= 1`);
  return [N, C, H, W];
}

/** Checks that `buffer` belongs to `device` and holds `length` float32 elements from `offset`. @internal */
export function checkBuffer(fn: string, device: Device, name: string, buffer: DeviceBuffer, offset: number, length: number, dtype = "float32"): void {
  if (buffer === null || typeof buffer !== "object") fail(fn, `${name} must be a device buffer, got ${String(buffer)}`);
  if (buffer.device !== device.name) fail(fn, `${name} belongs to device '${buffer.device}', expected '${device.name}'`);
  if (buffer.dtype !== dtype) fail(fn, `${name} must be a ${dtype} buffer, got ${buffer.dtype}`);
  if (!Number.isInteger(offset) || offset < 0) fail(fn, `offset of ${name} must be a non-negative integer, got ${offset}`);
  if (offset + length > buffer.length) {
    fail(fn, `${name} needs ${length} elements from offset ${offset} but its buffer has ${buffer.length}`);
  }
}
