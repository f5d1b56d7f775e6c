/**
 * CRC-32C (Castagnoli), the checksum of TFRecord framing, and TensorFlow's masked form of it.
 * Table-driven, one byte at a time: event files are small next to a training step.
 */

/** The reflected Castagnoli polynomial 0x1EDC6F41. */
const POLY = 0x82f63b78;
/** Added after the rotation by {@link maskCrc32c} (TensorFlow's `kMaskDelta`). */
const MASK_DELTA = 0xa282ead8;

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * CRC-32C of `bytes[start, end)` (standard check value: crc32c of ASCII "123456789" is 0xE3069283).
 *
 * @example
 * ```ts
 * import { crc32c } from "@tessera/nn";
 * crc32c(new TextEncoder().encode("123456789")).toString(16); // "e3069283"
 * ```
 */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > bytes.length || start > end) {
    throw new RangeError(`crc32c: range [${start}, ${end}) must lie within the ${bytes.length} bytes given`);
  }
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * TensorFlow's masked CRC of TFRecord headers and payloads: the CRC rotated right by 15 bits plus
 * 0xa282ead8 (mod 2³²), so a CRC over data that itself holds CRCs stays well distributed.
 *
 * @example
 * ```ts
 * import { crc32c, maskCrc32c } from "@tessera/nn";
 * maskCrc32c(crc32c(new Uint8Array(8)));
 * ```
 */
export function maskCrc32c(crc: number): number {
  return (((crc >>> 15) | (crc << 17)) + MASK_DELTA) >>> 0;
}
