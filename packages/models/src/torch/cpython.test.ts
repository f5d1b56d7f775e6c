import { describe, expect, it } from "vitest";
import { readTorchStateDict } from "../index.js";
import { readTorchCheckpoint } from "./pth.js";

/**
 * Files written by CPython 3.11's own pickle.Pickler and zipfile (an independent writer), with the
 * reductions torch.save emits: an OrderedDict with `_metadata`, tensors through
 * `torch._utils._rebuild_tensor_v2` over persistent ('storage', torch.FloatStorage, key, 'cpu', numel)
 * ids (a weight, its transpose over the same storage, a parameter at offset 4) and an int64 scalar.
 * The generator script is in the commit message that added this file.
 */
const PROTOCOL_2 = "UEsDBBQAAAAAAIFIhl36ru4NFgIAABYCAAAQAAAAbW9kZWwteC9kYXRhLnBrbIACY2NvbGxlY3Rpb25zCk9yZGVyZWREaWN0CnEAKVJxAShYEQAAAGZlYXR1cmVzLjAud2VpZ2h0cQJjdG9yY2guX3V0aWxzCl9yZWJ1aWxkX3RlbnNvcl92MgpxAygoWAcAAABzdG9yYWdlcQRjdG9yY2gKRmxvYXRTdG9yYWdlCnEFWAEAAAAwcQZYAwAAAGNwdXEHSwZ0cQhRSwBLAksDhnEJSwNLAYZxColoAClScQt0cQxScQ1YEwAAAGZlYXR1cmVzLjAud2VpZ2h0X3RxDmgDKChoBGgFaAZoB0sGdHEPUUsASwNLAoZxEEsBSwOGcRGJaAApUnESdHETUnEUWA8AAABmZWF0dXJlcy4wLmJpYXNxFWN0b3JjaC5fdXRpbHMKX3JlYnVpbGRfcGFyYW1ldGVyCnEWaAMoKGgEaAVoBmgHSwZ0cRdRSwRLAoVxGEsBhXEZiWgAKVJxGnRxG1JxHIhoAClScR2HcR5ScR9YFgAAAGJuLm51bV9iYXRjaGVzX3RyYWNrZWRxIGgDKChoBGN0b3JjaApMb25nU3RvcmFnZQpxIVgBAAAAMXEiaAdLAXRxI1FLACkpiWgAKVJxJHRxJVJxJnV9cSdYCQAAAF9tZXRhZGF0YXEoaAApUnEpKFgAAAAAcSp9cStYBwAAAHZlcnNpb25xLEsBc1gCAAAAYm5xLX1xLmgsSwJzdXNiLlBLAwQUAAAAAACBSIZdhT3jGQYAAAAGAAAAEQAAAG1vZGVsLXgvYnl0ZW9yZGVybGl0dGxlUEsDBBQAAAAAAIFIhl3k7YSwGAAAABgAAAAOAAAAbW9kZWwteC9kYXRhLzAAAAA/AACgvwAAAEAAAGBAAAAAvgAA4EBQSwMEFAAAAAAAgUiGXfehlA0IAAAACAAAAA4AAABtb2RlbC14L2RhdGEvMSoAAAAAAAAAUEsDBBQAAAAAAIFIhl3RnmdVAgAAAAIAAAAPAAAAbW9kZWwteC92ZXJzaW9uMwpQSwECFAMUAAAAAACBSIZd+q7uDRYCAAAWAgAAEAAAAAAAAAAAAAAAgAEAAAAAbW9kZWwteC9kYXRhLnBrbFBLAQIUAxQAAAAAAIFIhl2FPeMZBgAAAAYAAAARAAAAAAAAAAAAAACAAUQCAABtb2RlbC14L2J5dGVvcmRlclBLAQIUAxQAAAAAAIFIhl3k7YSwGAAAABgAAAAOAAAAAAAAAAAAAACAAXkCAABtb2RlbC14L2RhdGEvMFBLAQIUAxQAAAAAAIFIhl33oZQNCAAAAAgAAAAOAAAAAAAAAAAAAACAAb0CAABtb2RlbC14L2RhdGEvMVBLAQIUAxQAAAAAAIFIhl3RnmdVAgAAAAIAAAAPAAAAAAAAAAAAAACAAfECAABtb2RlbC14L3ZlcnNpb25QSwUGAAAAAAUABQAyAQAAIAMAAAAA";
const PROTOCOL_4 = "UEsDBBQAAAAAAIFIhl0T/e+7zQEAAM0BAAAQAAAAbW9kZWwteC9kYXRhLnBrbIAElcIBAAAAAAAAjAtjb2xsZWN0aW9uc5SMC09yZGVyZWREaWN0lJOUKVKUKIwRZmVhdHVyZXMuMC53ZWlnaHSUjAx0b3JjaC5fdXRpbHOUjBJfcmVidWlsZF90ZW5zb3JfdjKUk5QoKIwHc3RvcmFnZZSMBXRvcmNolIwMRmxvYXRTdG9yYWdllJOUjAEwlIwDY3B1lEsGdJRRSwBLAksDhpRLA0sBhpSJaAIpUpR0lFKUjBNmZWF0dXJlcy4wLndlaWdodF90lGgHKChoCGgLaAxoDUsGdJRRSwBLA0sChpRLAUsDhpSJaAIpUpR0lFKUjA9mZWF0dXJlcy4wLmJpYXOUaAWMEl9yZWJ1aWxkX3BhcmFtZXRlcpSTlGgHKChoCGgLaAxoDUsGdJRRSwRLAoWUSwGFlIloAilSlHSUUpSIaAIpUpSHlFKUjBZibi5udW1fYmF0Y2hlc190cmFja2VklGgHKChoCGgJjAtMb25nU3RvcmFnZZSTlIwBMZRoDUsBdJRRSwApKYloAilSlHSUUpR1fZSMCV9tZXRhZGF0YZRoAilSlCiMAJR9lIwHdmVyc2lvbpRLAXOMAmJulH2UaDRLAnN1c2IuUEsDBBQAAAAAAIFIhl2FPeMZBgAAAAYAAAARAAAAbW9kZWwteC9ieXRlb3JkZXJsaXR0bGVQSwMEFAAAAAAAgUiGXeTthLAYAAAAGAAAAA4AAABtb2RlbC14L2RhdGEvMAAAAD8AAKC/AAAAQAAAYEAAAAC+AADgQFBLAwQUAAAAAACBSIZd96GUDQgAAAAIAAAADgAAAG1vZGVsLXgvZGF0YS8xKgAAAAAAAABQSwMEFAAAAAAAgUiGXdGeZ1UCAAAAAgAAAA8AAABtb2RlbC14L3ZlcnNpb24zClBLAQIUAxQAAAAAAIFIhl0T/e+7zQEAAM0BAAAQAAAAAAAAAAAAAACAAQAAAABtb2RlbC14L2RhdGEucGtsUEsBAhQDFAAAAAAAgUiGXYU94xkGAAAABgAAABEAAAAAAAAAAAAAAIAB+wEAAG1vZGVsLXgvYnl0ZW9yZGVyUEsBAhQDFAAAAAAAgUiGXeTthLAYAAAAGAAAAA4AAAAAAAAAAAAAAIABMAIAAG1vZGVsLXgvZGF0YS8wUEsBAhQDFAAAAAAAgUiGXfehlA0IAAAACAAAAA4AAAAAAAAAAAAAAIABdAIAAG1vZGVsLXgvZGF0YS8xUEsBAhQDFAAAAAAAgUiGXdGeZ1UCAAAAAgAAAA8AAAAAAAAAAAAAAIABqAIAAG1vZGVsLXgvdmVyc2lvblBLBQYAAAAABQAFADIBAADXAgAAAAA=";

const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

describe("files written by CPython's pickle and zipfile", () => {
  for (const [name, b64] of [["protocol 2 (torch.save's default)", PROTOCOL_2], ["protocol 4 (FRAME, SHORT_BINUNICODE, STACK_GLOBAL, MEMOIZE)", PROTOCOL_4]]) {
    it(name, () => {
      const { tensors, versions } = readTorchCheckpoint(bytes(b64));
      expect([...tensors.keys()]).toEqual(["features.0.weight", "features.0.weight_t", "features.0.bias", "bn.num_batches_tracked"]);
      expect(tensors.get("features.0.weight")).toEqual({ dtype: "float32", shape: [2, 3], data: Float32Array.from([0.5, -1.25, 2, 3.5, -0.125, 7]) });
      expect(tensors.get("features.0.weight_t")).toEqual({ dtype: "float32", shape: [3, 2], data: Float32Array.from([0.5, 3.5, -1.25, -0.125, 2, 7]) });
      expect(tensors.get("features.0.bias")).toEqual({ dtype: "float32", shape: [2], data: Float32Array.from([-0.125, 7]) });
      expect(tensors.get("bn.num_batches_tracked")).toEqual({ dtype: "int64", shape: [], data: Int32Array.from([42]) });
      expect([...versions]).toEqual([["", 1], ["bn", 2]]);
      expect(readTorchStateDict(bytes(b64)).size).toBe(4);
    });
  }
});
