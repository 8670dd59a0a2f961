/**
 * A fit through the built custom function on 1,000,000 distinct customers (times in
 * continuous weeks, so no two rows collapse), in a process of its own. Prints one JSON line:
 * the time, and whether it answered with parameters or with the #NUM! that says the data
 * are too large to fit within the 2 s a custom function is given.
 */
import { loadBuiltFunctionsForTiming } from "../test/support/customFunctions";
import { seededRandom } from "./synthetic";

const id = process.argv[2] ?? "BGNBD_FIT";
const n = 1_000_000;
const random = seededRandom(11);
const x: number[][] = [];
const tx: number[][] = [];
const T: number[][] = [];
const spend: number[][] = [];
for (let i = 0; i < n; i++) {
  const age = 1 + 99 * random();
  const repeats = Math.floor(-Math.log(1 - random()) * 2);
  x.push([id === "GG_FIT" ? repeats + 1 : repeats]);
  T.push([age]);
  tx.push([repeats === 0 ? 0 : age * random()]);
  spend.push([5 + 95 * random()]);
}
const fns = loadBuiltFunctionsForTiming();
const args = id === "GG_FIT" ? [x, spend, null, null] : [x, tx, T, null, null];
const start = performance.now();
let answer: string;
try {
  const result = fns.get(id)!(...args) as number[][];
  answer = `[${result[0]!.map((v) => Number(v.toPrecision(4))).join(", ")}]`;
} catch (error) {
  answer = `${(error as { code?: string }).code ?? "error"}: ${(error as Error).message}`;
}
console.log(JSON.stringify({ id, ms: performance.now() - start, answer }));
