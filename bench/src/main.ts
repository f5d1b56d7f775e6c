#!/usr/bin/env node
/**
 * `pnpm bench <suite> [--flags]`: runs bench/src/suites/<suite>.ts, prints a table and writes
 * <suite>.{json,md,svg} into a fresh folder bench/runs/<suite>-<time>/ (ignored by git), or with
 * `--save` into the committed bench/results/ (`--out DIR` picks any folder). A plain run never changes
 * committed files. Run nothing else on the machine while it measures.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { machine, markdownTable, parseArgs, writeResults, type Suite } from "./harness.js";

const suitesDir = fileURLToPath(new URL("./suites/", import.meta.url));
const available = readdirSync(suitesDir).filter((f) => f.endsWith(".js")).map((f) => f.slice(0, -3));
const args = parseArgs(process.argv.slice(2));
const name = args.words[0];
if (!name || !available.includes(name)) {
  console.error(`usage: pnpm bench <suite> [--flags]\nsuites: ${available.join(", ")}`);
  process.exit(name ? 2 : 0);
}
const suite: Suite = (await import(`./suites/${name}.js`)).default;
const m = machine();
console.log(`${name} on ${m}`);
const result = await suite(args, (l) => console.log(l));
console.log(`\n${markdownTable(result)}`);
for (const n of result.notes) console.log(`- ${n}`);
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const out = args.flags.out ?? (args.flags.save !== undefined
  ? fileURLToPath(new URL("../results/", import.meta.url))
  : fileURLToPath(new URL(`../runs/${name}-${stamp}/`, import.meta.url)));
for (const f of writeResults(out, args.flags.tag ? `${name}-${args.flags.tag}` : name, result, m)) console.log(`wrote ${f}`);
