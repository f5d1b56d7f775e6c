/**
 * A small strict JSON parser for headers of files from outside (safetensors). Unlike
 * `JSON.parse` it rejects duplicate keys (which `JSON.parse` resolves silently to the last one),
 * bounds the nesting depth (no stack overflow from `[[[[…`), and returns objects as `Map`s, so a
 * key such as `__proto__` or `toString` is just a key.
 * @internal
 */

/** A parsed JSON value: objects become `Map`s (in text order), arrays stay arrays. @internal */
export type JsonValue = null | boolean | number | string | JsonValue[] | Map<string, JsonValue>;

/** Deepest nesting accepted; a safetensors header needs 3 (header → tensor → shape). */
const MAX_DEPTH = 32;

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/**
 * Parses `text` as one JSON value (surrounding whitespace allowed). Throws a `SyntaxError`
 * `<what>: <problem> at offset <i>` for anything that is not strict JSON, and for an object that
 * repeats a key.
 * @internal
 */
export function parseStrictJson(text: string, what: string): JsonValue {
  let i = 0;
  const fail = (problem: string): never => {
    throw new SyntaxError(`${what}: ${problem} at offset ${i}`);
  };
  const skip = (): void => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else return;
    }
  };
  const string = (): string => {
    const start = i++;
    for (;;) {
      if (i >= text.length) fail("unterminated string");
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) fail(`control character 0x${c.toString(16).padStart(2, "0")} in a string`);
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail("invalid \\u escape");
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail(`invalid escape \\${e ?? ""}`);
        i += 2;
        continue;
      }
      i++;
    }
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (depth: number): JsonValue => {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`);
    skip();
    const c = text[i];
    if (c === "{") {
      i++;
      const out = new Map<string, JsonValue>();
      skip();
      if (text[i] === "}") {
        i++;
        return out;
      }
      for (;;) {
        skip();
        if (text[i] !== '"') fail("expected a string key");
        const keyAt = i;
        const key = string();
        if (out.has(key)) {
          i = keyAt;
          fail(`duplicate key ${JSON.stringify(key)}`);
        }
        skip();
        if (text[i] !== ":") fail("expected ':'");
        i++;
        out.set(key, value(depth + 1));
        skip();
        if (text[i] === ",") i++;
        else if (text[i] === "}") {
          i++;
          return out;
        } else fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const out: JsonValue[] = [];
      skip();
      if (text[i] === "]") {
        i++;
        return out;
      }
      for (;;) {
        out.push(value(depth + 1));
        skip();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          return out;
        } else fail("expected ',' or ']'");
      }
    }
    if (c === '"') return string();
    for (const [word, v] of [["true", true], ["false", false], ["null", null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m === null) return fail(i >= text.length ? "unexpected end" : `unexpected character ${JSON.stringify(c)}`);
    i += m[0].length;
    return Number(m[0]);
  };
  const out = value(1);
  skip();
  if (i < text.length) fail("unexpected text after the value");
  return out;
}
