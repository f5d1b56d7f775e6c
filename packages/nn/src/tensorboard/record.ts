/**
 * TFRecord framing of event files: each record is the data length (uint64, little-endian), the
 * masked CRC-32C of those 8 bytes, the data, and the masked CRC-32C of the data (both uint32 LE).
 */
import { crc32c, maskCrc32c } from "./crc32c.js";

/** Bytes around the data of every record: 8 (length) + 4 (its CRC) + 4 (the data's CRC). */
export const RECORD_OVERHEAD = 16;

/** Frames `data` as one TFRecord (`data.length + 16` bytes). Internal to `@tessera/nn`. */
export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + RECORD_OVERHEAD);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length % 0x1_0000_0000, true);
  view.setUint32(4, Math.floor(data.length / 0x1_0000_0000), true);
  view.setUint32(8, maskCrc32c(crc32c(out, 0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskCrc32c(crc32c(data)), true);
  return out;
}

/**
 * One record found by {@link readRecords}: its data (a view into the input, not a copy), its
 * 0-based index and the byte offset of its header.
 */
export interface RawRecord {
  /** The record's payload. */ readonly data: Uint8Array;
  /** 0-based position in the file. */ readonly index: number;
  /** Byte offset of the record's length field. */ readonly offset: number;
}

/**
 * Splits TFRecord bytes into records, checking both CRCs of every record and that each declared
 * length fits in the bytes that remain (so a corrupt length can never make the reader allocate or
 * read past the input). Throws on the first bad record, naming its index and offset; `fn` names
 * the caller in the messages. Internal to `@tessera/nn` (see `readEvents`).
 */
export function* readRecords(bytes: Uint8Array, fn = "readRecords"): Generator<RawRecord> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  for (let index = 0; offset < bytes.length; index++) {
    const where = `record ${index} (byte offset ${offset})`;
    const left = bytes.length - offset;
    if (left < 12) throw new RangeError(`${fn}: ${where} is truncated: ${left} bytes left, a record header needs 12`);
    const lo = view.getUint32(offset, true);
    const hi = view.getUint32(offset + 4, true);
    const storedLengthCrc = view.getUint32(offset + 8, true);
    const lengthCrc = maskCrc32c(crc32c(bytes, offset, offset + 8));
    if (storedLengthCrc !== lengthCrc) {
      throw new RangeError(`${fn}: ${where} has a bad length CRC: stored 0x${hex(storedLengthCrc)}, computed 0x${hex(lengthCrc)}`);
    }
    const room = left - RECORD_OVERHEAD;
    if (hi !== 0 || lo > room) {
      const declared = hi === 0 ? String(lo) : `${hi} * 2^32 + ${lo}`;
      throw new RangeError(`${fn}: ${where} declares ${declared} data bytes, but only ${Math.max(0, room)} remain after its header and CRCs`);
    }
    const start = offset + 12;
    const storedDataCrc = view.getUint32(start + lo, true);
    const dataCrc = maskCrc32c(crc32c(bytes, start, start + lo));
    if (storedDataCrc !== dataCrc) {
      throw new RangeError(`${fn}: ${where} has a bad data CRC: stored 0x${hex(storedDataCrc)}, computed 0x${hex(dataCrc)}`);
    }
    yield { data: bytes.subarray(start, start + lo), index, offset };
    offset = start + lo + 4;
  }
}

function hex(n: number): string {
  return n.toString(16).padStart(8, "0");
}
