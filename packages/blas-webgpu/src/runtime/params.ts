/**
 * Packs kernel arguments into the bytes of a WGSL uniform struct. Members are written in
 * declaration order with WGSL's uniform layout rules for the types the shaders use: 4-byte
 * scalars (align 4) and arrays of vec4 (align 16, stride 16).
 * @internal
 */

/** Bytes of one uniform slot: every kernel's parameter struct fits (the largest is 184 bytes). @internal */
export const PARAM_BYTES = 256;

/** A little-endian writer for one uniform struct. @internal */
export class ParamWriter {
  /** The struct's bytes (a full slot, zero-padded). */
  readonly bytes = new ArrayBuffer(PARAM_BYTES);
  private readonly view = new DataView(this.bytes);
  private pos = 0;

  private at(align: number, size: number): number {
    this.pos = Math.ceil(this.pos / align) * align;
    const p = this.pos;
    if (p + size > PARAM_BYTES) throw new Error(`ParamWriter: a kernel's parameters exceed ${PARAM_BYTES} bytes`);
    this.pos += size;
    return p;
  }

  /** A `u32` member (the value is taken modulo 2³²). */
  u32(v: number): this {
    this.view.setUint32(this.at(4, 4), v >>> 0, true);
    return this;
  }

  /** An `i32` member. */
  i32(v: number): this {
    this.view.setInt32(this.at(4, 4), v | 0, true);
    return this;
  }

  /** An `f32` member (rounded to float32). */
  f32(v: number): this {
    this.view.setFloat32(this.at(4, 4), v, true);
    return this;
  }

  /** An `array<vec4<u32>, n>` member holding `values`, padded with `pad`. */
  u32Array(values: readonly number[], vec4s: number, pad = 0): this {
    const p = this.at(16, 16 * vec4s);
    for (let i = 0; i < 4 * vec4s; i++) this.view.setUint32(p + 4 * i, (i < values.length ? values[i] : pad) >>> 0, true);
    return this;
  }

  /** An `array<vec4<i32>, n>` member holding `values`, padded with 0. */
  i32Array(values: readonly number[], vec4s: number): this {
    const p = this.at(16, 16 * vec4s);
    for (let i = 0; i < 4 * vec4s; i++) this.view.setInt32(p + 4 * i, i < values.length ? values[i] | 0 : 0, true);
    return this;
  }
}
