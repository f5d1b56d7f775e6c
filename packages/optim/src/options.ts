/**
 * The check every options object of `@tessera/optim` and `@tessera/nn` goes through: a key the
 * function does not know is an error, never silently dropped (a typo such as `weight_decay` or
 * `paddingMode` on a layer without it would otherwise train something else than asked).
 */

/**
 * Throws when `options` has an own key outside `allowed`, naming the function, the argument, the
 * unknown key and the known ones; also throws when `options` is not a plain object. `undefined`
 * passes (no options).
 *
 * @param fn The function or class the options belong to (for the message).
 * @param arg The argument's name (for the message).
 * @param options The options object to check.
 * @param allowed Every key the function reads.
 * @throws TypeError naming the unknown key and the known ones.
 *
 * @example
 * ```ts
 * import { rejectUnknownOptions } from "@tessera/optim";
 * rejectUnknownOptions("SGD", "options", { lr: 0.1 }, ["lr", "momentum"]);      // passes
 * rejectUnknownOptions("SGD", "options", { learningRate: 0.1 }, ["lr"]);         // throws
 * ```
 */
export function rejectUnknownOptions(fn: string, arg: string, options: unknown, allowed: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError(`${fn}: ${arg} must be an object, got ${options === null ? "null" : Array.isArray(options) ? "an array" : typeof options}`);
  }
  for (const k of Object.keys(options)) {
    if (!allowed.includes(k)) {
      throw new TypeError(`${fn}: unknown option '${k}' in ${arg} (known: ${allowed.length ? allowed.join(", ") : "none"})`);
    }
  }
}
