/**
 * A small reader of the zip archives `torch.save` writes: the central directory is read and
 * checked, every entry must be stored (method 0, PyTorch's choice: no compression), named without
 * path traversal, inside the buffer, and match its CRC-32. Entries are views of the input (no copy).
 * Zip64 records (archives over 4 GiB) are understood.
 */

/** Entries at most (a state dict of 10⁵ tensors is far beyond any torchvision model). */
export const MAX_ZIP_ENTRIES = 1_000_000;

function fail(message: string): never {
  throw new RangeError(`readZip: ${message}`);
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * CRC-32 (the zip and PNG polynomial 0xEDB88320) of `bytes`.
 * @internal
 */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A path inside the archive that stays inside it: relative, no `..`, no backslash, no drive, no NUL. */
function checkName(name: string): void {
  if (name.length === 0 || name.startsWith("/") || name.includes("\\") || name.includes("\0") || /^[A-Za-z]:/.test(name) || name.split("/").some((p) => p === "..")) {
    fail(`entry name ${JSON.stringify(name)} is not a plain relative path (absolute, '..', backslash, drive or NUL): refused`);
  }
}

const u64 = (v: DataView, at: number): number => {
  const n = v.getBigUint64(at, true);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) fail(`a zip64 field at byte ${at} (${n}) is too large`);
  return Number(n);
};

/**
 * The stored entries of a zip archive, by name, as views of `bytes`.
 * @internal
 */
export function readZip(bytes: Uint8Array): Map<string, Uint8Array> {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  let eocd = -1;
  for (let i = n - 22; i >= Math.max(0, n - 22 - 0xffff); i--) {
    if (v.getUint32(i, true) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) fail(`no end-of-central-directory record in ${n} bytes: not a zip archive, or truncated`);
  let count = v.getUint16(eocd + 10, true);
  let cdSize = v.getUint32(eocd + 12, true);
  let cdOffset = v.getUint32(eocd + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || v.getUint32(loc, true) !== 0x07064b50) fail("the end record asks for zip64 but there is no zip64 locator");
    const z = u64(v, loc + 8);
    if (z + 56 > n || v.getUint32(z, true) !== 0x06064b50) fail(`no zip64 end record at byte ${z}`);
    count = u64(v, z + 32);
    cdSize = u64(v, z + 40);
    cdOffset = u64(v, z + 48);
  }
  if (count > MAX_ZIP_ENTRIES) fail(`${count} entries, more than the ${MAX_ZIP_ENTRIES} allowed`);
  if (cdOffset + cdSize > n) fail(`the central directory (bytes ${cdOffset}..${cdOffset + cdSize}) lies outside the ${n}-byte file: truncated?`);
  const out = new Map<string, Uint8Array>();
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  let p = cdOffset;
  for (let e = 0; e < count; e++) {
    if (p + 46 > cdOffset + cdSize || v.getUint32(p, true) !== 0x02014b50) fail(`central directory entry ${e} at byte ${p} is malformed`);
    const flags = v.getUint16(p + 8, true);
    const method = v.getUint16(p + 10, true);
    const crc = v.getUint32(p + 16, true);
    let csize = v.getUint32(p + 20, true);
    let usize = v.getUint32(p + 24, true);
    const nameLen = v.getUint16(p + 28, true), extraLen = v.getUint16(p + 30, true), commentLen = v.getUint16(p + 32, true);
    let local = v.getUint32(p + 42, true);
    if (p + 46 + nameLen + extraLen + commentLen > cdOffset + cdSize) fail(`central directory entry ${e} runs past the directory`);
    const name = utf8.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    checkName(name);
    // zip64 extended information: the 64-bit values of the fields set to 0xFFFFFFFF, in this order
    for (let x = p + 46 + nameLen; x + 4 <= p + 46 + nameLen + extraLen;) {
      const id = v.getUint16(x, true), len = v.getUint16(x + 2, true);
      if (id === 0x0001) {
        let f = x + 4;
        if (usize === 0xffffffff) { usize = u64(v, f); f += 8; }
        if (csize === 0xffffffff) { csize = u64(v, f); f += 8; }
        if (local === 0xffffffff) { local = u64(v, f); f += 8; }
        if (f > x + 4 + len) fail(`entry ${JSON.stringify(name)}: zip64 extra field too short`);
      }
      x += 4 + len;
    }
    if (flags & 1) fail(`entry ${JSON.stringify(name)} is encrypted`);
    if (method !== 0) fail(`entry ${JSON.stringify(name)} is compressed (method ${method}); torch.save writes stored (uncompressed) entries — re-save the file with torch.save`);
    if (csize !== usize) fail(`entry ${JSON.stringify(name)} is stored but its sizes differ (${csize} vs ${usize})`);
    if (local + 30 > n || v.getUint32(local, true) !== 0x04034b50) fail(`entry ${JSON.stringify(name)}: no local header at byte ${local}`);
    const start = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
    if (start + csize > n) fail(`entry ${JSON.stringify(name)} (bytes ${start}..${start + csize}) runs past the end of the ${n}-byte file: truncated?`);
    if (out.has(name)) fail(`entry ${JSON.stringify(name)} appears twice`);
    const data = bytes.subarray(start, start + csize);
    if (crc32(data) !== crc) fail(`entry ${JSON.stringify(name)} fails its CRC-32 check (corrupt file)`);
    out.set(name, data);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}
