import { resolve } from "node:path";
import { torchToSafetensors } from "@tessera/models";
import { writeFileAtomic } from "@tessera/nn";
import { readUserFile } from "../weights-file.js";
import { CliError } from "../zoo.js";

/**
 * The reader's message for the command line: its hint for a training checkpoint names the
 * library's option (`pass { key: 'state_dict' }`); on the command line that is `--key state_dict`.
 */
export function torchReadError(message: string, how: "flag" | "convert"): string {
  return message.replace(/pass \{ key: ('[^']*'(?: or '[^']*')*) \}/, (_, keys: string) => {
    const names = keys.replace(/'/g, "");
    return how === "flag" ? `pass --key ${names}` : `convert it with tessera convert --key ${names} IN OUT.safetensors first`;
  });
}

/** The tensor names in a safetensors file's header (its bytes as `torchToSafetensors` wrote them). */
function tensorNames(bytes: Uint8Array): string[] {
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, unknown>;
  return Object.keys(header).filter((k) => k !== "__metadata__");
}

/**
 * `tessera convert IN.pth OUT.safetensors [--key K]`: a PyTorch state dict (`.pth` / `.pt`, read
 * without Python by a restricted unpickler) written as safetensors with the same keys, through a
 * temporary file renamed into place. A missing, corrupt or malicious file is a one-line error and
 * nothing is written. Returns the number of tensors written.
 */
export async function convertCommand(o: { input: string; output: string; key?: string }, log: (l: string) => void): Promise<number> {
  if (resolve(o.output) === resolve(o.input)) throw new CliError(`the output ${o.output} is the input file: name another file`);
  const bytes = await readUserFile("input", o.input);
  let out: Uint8Array;
  try {
    out = torchToSafetensors(bytes, o.key === undefined ? {} : { key: o.key });
  } catch (e) {
    // The reader's refusals (corrupt zip, forbidden pickle global, bad extents) are RangeErrors.
    if (e instanceof RangeError) throw new CliError(`${o.input} is not a readable PyTorch state dict (${torchReadError(e.message, "flag")})`);
    throw e;
  }
  await writeFileAtomic(o.output, out);
  const n = tensorNames(out).length;
  log(`${o.input} → ${o.output}: ${n} tensors`);
  return n;
}
