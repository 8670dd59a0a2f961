import { describeNumber, invalidValue } from "../errors";
import { distinct, hashSlots } from "../kernels/scriptKernels";

/**
 * Repeat-buyer data in the RFM form of the buy-till-you-die models: per customer,
 * frequency x (repeat purchases after the first), recency t_x (time of the last purchase,
 * from the first), and T (time from the first purchase to the end of observation), in one
 * time unit. Customers with the same (x, t_x, T) are collapsed into one weighted row, so a
 * summary aggregated elsewhere (GROUP BY frequency, recency, T with a count) fits exactly as
 * the raw rows would.
 */
export interface CustomerSummary {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  weight: Float64Array;
  /** Number of distinct rows. */
  rows: number;
  /** Total weight: the number of customers. */
  customers: number;
}

export interface CustomerInput {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
  /** Number of customers each row stands for; default 1 each. */
  weights?: ArrayLike<number>;
  /** The row number of each entry as the user sees it, for messages; default 1, 2, 3, … */
  rowNumbers?: ArrayLike<number>;
}

/** Tolerance for a recency above T that is only rounding (recency and T rounded to 2 dp). */
const RECENCY_SLACK = 1e-9;

/**
 * Checks one customer's history; `where` names the row in a message ("row 12"). A recency
 * that exceeds T by rounding only (both rounded to 2 dp) is accepted.
 */
export function checkHistory(frequency: number, recency: number, T: number, where: string): void {
  const fail = (message: string): never => {
    throw invalidValue(where ? `${where}: ${message}` : message);
  };
  if (!Number.isFinite(frequency) || frequency < 0 || !Number.isInteger(frequency)) {
    fail(`frequency must be a whole number of repeat purchases, 0 or more; got ${describeNumber(frequency)}`);
  }
  // T = 0 is a customer acquired at the end of observation: the models define it (P(alive) = 1, likelihood 1).
  if (!Number.isFinite(T) || T < 0) fail(`T must be a time, 0 or more; got ${describeNumber(T)}`);
  if (!Number.isFinite(recency) || recency < 0) fail(`recency must be 0 or more; got ${describeNumber(recency)}`);
  if (frequency === 0 && recency > 0) fail(`recency must be 0 for a customer without repeat purchases (frequency 0); got ${describeNumber(recency)}`);
  if (recency > T * (1 + RECENCY_SLACK)) {
    fail(`recency (${describeNumber(recency)}) is above T (${describeNumber(T)}): a last purchase after the end of observation`);
  }
}

export function summarizeCustomers(input: CustomerInput): CustomerSummary {
  const n = input.frequency.length;
  if (input.recency.length !== n || input.T.length !== n || (input.weights && input.weights.length !== n)) {
    const lengths = [`frequency ${n}`, `recency ${input.recency.length}`, `T ${input.T.length}`];
    if (input.weights) lengths.push(`weights ${input.weights.length}`);
    throw invalidValue(`the columns must have the same number of rows; got ${lengths.join(", ")}`);
  }
  if (n === 0) throw invalidValue("there are no customers");

  const table = new CollapseTable(n);
  for (let i = 0; i < n; i++) {
    const x = input.frequency[i] as number;
    const t = input.T[i] as number;
    const w = input.weights ? (input.weights[i] as number) : 1;
    const tx = input.recency[i] as number;
    if (!(Number.isInteger(x) && x >= 0 && t >= 0 && t < Number.POSITIVE_INFINITY && tx >= 0 && tx <= t && (x > 0 || tx === 0))) {
      checkHistory(x, tx, t, `row ${input.rowNumbers ? (input.rowNumbers[i] as number) : i + 1}`);
    }
    if (!Number.isFinite(w) || w < 0) {
      throw invalidValue(`row ${input.rowNumbers ? (input.rowNumbers[i] as number) : i + 1}: weight must be a count, 0 or more; got ${describeNumber(w)}`);
    }
    if (w === 0) continue;
    // Rounding may leave t_x a hair above T.
    table.add(x, Math.min(tx, t), t, w);
  }
  const summary = table.result();
  if (summary.rows === 0) throw invalidValue("every weight is 0: there are no customers");
  return summary;
}

/** Mean age T and mean repeat purchases x over the customers: the scale of a fit's starting point. */
export function customerMeans(data: CustomerSummary): { meanT: number; meanX: number } {
  let meanT = 0;
  let meanX = 0;
  for (let i = 0; i < data.rows; i++) {
    meanT += (data.weight[i] as number) * (data.T[i] as number);
    meanX += (data.weight[i] as number) * (data.frequency[i] as number);
  }
  return { meanT: meanT / data.customers, meanX: meanX / data.customers };
}

/**
 * Open-addressing hash table keyed by the exact triple (x, t_x, T): rows in order of first
 * appearance, weights of identical rows added. Exported so that a reader of cells (the
 * custom functions) fills it row by row as summarizeCustomers does, with the same result.
 */
export class CollapseTable {
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly x: Float64Array;
  private readonly tx: Float64Array;
  private readonly t: Float64Array;
  private readonly w: Float64Array;
  /** Per row, x as a 32-bit integer and the four 32-bit words of t_x and T: the key compared without reading a double back. */
  private readonly keys: Int32Array;
  /** While every weight has been 1, the weights are counts, added as integers. */
  private readonly counts: Int32Array;
  private unit = true;
  private count = 0;
  private readonly bits = new Float64Array(2);
  private readonly words = new Int32Array(this.bits.buffer);

  constructor(capacity: number) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    this.x = new Float64Array(capacity);
    this.tx = new Float64Array(capacity);
    this.t = new Float64Array(capacity);
    this.w = new Float64Array(capacity);
    this.keys = new Int32Array(5 * capacity);
    this.counts = new Int32Array(capacity);
  }

  /** Adds a row: x a whole number 0 or more, w above 0. */
  add(x: number, tx: number, t: number, w: number): void {
    const bits = this.bits;
    const words = this.words;
    bits[0] = tx;
    bits[1] = t;
    const xi = x | 0;
    const w0 = words[0] as number;
    const w1 = words[1] as number;
    const w2 = words[2] as number;
    const w3 = words[3] as number;
    // x (a whole number) and the four words of t_x and T, each multiplied into the running
    // hash and folded (MurmurHash3's constants), written out: a row is hashed once, on the
    // first call after a workbook opens too, when a call per word costs more than the arithmetic.
    let h = Math.imul(xi ^ 0x9e3779b9, 0xcc9e2d51);
    h = Math.imul(h ^ (h >>> 15) ^ w0, 0x1b873593);
    h = Math.imul(h ^ (h >>> 15) ^ w1, 0xcc9e2d51);
    h = Math.imul(h ^ (h >>> 15) ^ w2, 0x1b873593);
    h = Math.imul(h ^ (h >>> 15) ^ w3, 0x85ebca6b);
    h ^= h >>> 13;
    let slot = (h ^ (h >>> 16)) & this.mask;
    const slots = this.slots;
    const keys = this.keys;
    if (this.unit && w !== 1) {
      // A weight other than 1: the counts so far become the weights, exactly.
      for (let i = 0; i < this.count; i++) this.w[i] = this.counts[i] as number;
      this.unit = false;
    }
    for (;;) {
      const at = slots[slot] as number;
      if (at === -1) {
        const n = this.count;
        slots[slot] = n;
        this.x[n] = x;
        this.tx[n] = tx;
        this.t[n] = t;
        if (this.unit) this.counts[n] = 1;
        else this.w[n] = w;
        const k = 5 * n;
        keys[k] = xi;
        keys[k + 1] = w0;
        keys[k + 2] = w1;
        keys[k + 3] = w2;
        keys[k + 4] = w3;
        this.count = n + 1;
        return;
      }
      const k = 5 * at;
      // The bits of t_x and T, and x (read back only where it does not fit in 32 bits).
      if (keys[k + 1] === w0 && keys[k + 2] === w1 && keys[k + 3] === w2 && keys[k + 4] === w3 && keys[k] === xi && (xi === x || this.x[at] === x)) {
        if (this.unit) this.counts[at] = (this.counts[at] as number) + 1;
        else this.w[at] = (this.w[at] as number) + w;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  result(): CustomerSummary {
    const n = this.count;
    const weight = this.unit ? new Float64Array(n) : this.w.slice(0, n);
    if (this.unit) for (let i = 0; i < n; i++) weight[i] = this.counts[i] as number;
    let customers = 0;
    for (let i = 0; i < n; i++) customers += weight[i] as number;
    return {
      frequency: this.x.slice(0, n),
      recency: this.tx.slice(0, n),
      T: this.t.slice(0, n),
      weight,
      rows: n,
      customers,
    };
  }
}

/** Distinct values of a column and, for each row, the index of its value among them. */
export interface DistinctValues {
  values: Float64Array;
  index: Int32Array;
}

/** Distinct values in order of first appearance; O(n) expected. */
export function distinctValues(column: Float64Array): DistinctValues {
  const n = column.length;
  const size = hashSlots(n);
  const values = new Float64Array(n);
  const index = new Int32Array(n);
  const count = distinct(column, n, values, index, new Int32Array(size), size);
  return { values: values.slice(0, count), index };
}
