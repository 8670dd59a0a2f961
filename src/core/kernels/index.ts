/**
 * The likelihoods' inner loops (kernels.wat), compiled once to WebAssembly where the engine
 * has it, and otherwise their twins in script (scriptKernels.ts), which agree with them to
 * about an ulp (the module has its own ln, exp and ln(1+x); the script uses Math's).
 *
 * Why: a workbook's first fit runs before the engine has compiled the script to machine
 * code, so every row of every evaluation is interpreted and every intermediate double
 * allocated; WebAssembly runs at machine speed from its first call. A model asks for a
 * {@link Workspace} sized for its arrays, takes its arrays from it, and calls the kernels on
 * them: in WebAssembly the arrays are views of the instance's memory (one instance per
 * workspace, so no fit shares memory with another), otherwise ordinary typed arrays.
 */
import { KERNEL_WASM } from "./wasmBytes";
import * as script from "./scriptKernels";

export { hashSlots } from "./scriptKernels";

export interface Workspace {
  /** "wasm" or "script": which kernels this workspace runs. */
  readonly engine: "wasm" | "script";
  /** A new array of n doubles (zeros) from the workspace. */
  f64(n: number): Float64Array;
  /** A new array of n 32-bit integers (zeros) from the workspace. */
  i32(n: number): Int32Array;
  /** `source` where the kernels can read it: a copy in the workspace, or in script `source` itself (the kernels only read it). */
  readF64(source: Float64Array): Float64Array;
  /** As readF64, for integers. */
  readI32(source: Int32Array): Int32Array;
  /**
   * Hands the workspace back when its fit is done: its arrays must not be used after. A later
   * workspace may then reuse the instance (making one costs about as much as a warm fit). A
   * workspace never released is simply collected.
   */
  release(): void;
  distinct: typeof script.distinct;
  spendSums: typeof script.spendSums;
  spendPrepare: typeof script.spendPrepare;
  spendTerms: typeof script.spendTerms;
  spendMoments: typeof script.spendMoments;
  gammaFamily: typeof script.gammaFamily;
  shiftedLogs: typeof script.shiftedLogs;
  repeatBuyerSums: typeof script.repeatBuyerSums;
  bgnbdTerms: typeof script.bgnbdTerms;
  bgnbdPrepare: typeof script.bgnbdPrepare;
  /**
   * Gamma-Gamma's whole fit by Newton's method (kernels.wat's spendFit): phi (3 doubles) holds
   * ln θ at the start and at the end, work (86 doubles) the point there and the standard errors
   * (work[25…27], NaN where there are none); model, what spendTerms takes after p, q and γ.
   * Returns the iterations to converge, or −1 where the script's minimizeNewton must take over. Only in WebAssembly:
   * where it is missing, the fit runs as script (src/core/fitting) on spendTerms.
   */
  spendFit?: (phi: Float64Array, work: Float64Array, scale: number, tolerance: number, polish: number, maxIterations: number, model: SpendTermsData) => number;
  /**
   * Pareto/NBD: Σ w ln(bracket) over the rows and its gradient (see kernels.wat). Only in
   * WebAssembly: its script twin is src/core/purchase/paretoNbd.ts's own bracketSums, which the
   * model calls where this is missing.
   */
  pnbdBrackets?: (
    r: number,
    alpha: number,
    s: number,
    beta: number,
    logS: number,
    rows: number,
    weight: Float64Array,
    frequency: Float64Array,
    recency: Float64Array,
    T: Float64Array,
    xIndex: Int32Array,
    tIndex: Int32Array,
    txIndex: Int32Array,
    alphaT: Float64Array,
    betaT: Float64Array,
    base1: Float64Array,
    base2: Float64Array,
    logA: Float64Array,
    nodes: Float64Array,
    weights: Float64Array,
    scratch: Float64Array,
    out: Float64Array,
  ) => void;
}

/**
 * What Gamma-Gamma's spendTerms takes after p, q and γ (see kernels.wat), as one value, for
 * spendFit, which evaluates the likelihood with it. spendTerms itself, called once for every
 * evaluation the script's search makes, takes them one by one.
 */
export interface SpendTermsData {
  total: number;
  slopeP: number;
  constant: number;
  groups: number;
  xs: Float64Array;
  groupWeight: Float64Array;
  start: Int32Array;
  mx: Float64Array;
  weight: Float64Array | undefined;
  args: Float64Array;
  family: Float64Array;
  sums: Float64Array;
  out: Float64Array;
}

interface KernelExports {
  memory: WebAssembly.Memory;
  distinct(column: number, n: number, values: number, index: number, slots: number, size: number): number;
  spendSums(mx: number, weight: number, start: number, groups: number, gamma: number, out: number): void;
  spendPrepare(m: number, weight: number, group: number, n: number, groups: number, xs: number, start: number, mx: number, w: number, sums: number): number;
  spendTerms(...args: number[]): void;
  spendFit(...args: number[]): number;
  spendMoments(xs: number, sums: number, groups: number, total: number, groupWeight: number, out: number): void;
  gammaFamily(args: number, n: number, out: number): void;
  shiftedLogs(values: number, n: number, shift: number, logs: number, invs: number): void;
  repeatBuyerSums(weight: number, jT: number, jTx: number, logT: number, invT: number, logTx: number, invTx: number, from: number, end: number, rx: number, logA4: number, out: number): void;
  bgnbdTerms(...args: number[]): void;
  bgnbdPrepare(...args: number[]): void;
  pnbdBrackets(...args: number[]): void;
}

let mode: KernelMode = "auto";
/** The compiled module: undefined until first asked for, null where it cannot be made. */
let compiled: WebAssembly.Module | null | undefined;

/**
 * "auto" uses WebAssembly where it can; "script" runs every workspace on the script kernels, and
 * "terms" runs WebAssembly's but leaves whole fits (spendFit) to the script's search (for tests,
 * and to compare).
 */
export type KernelMode = "auto" | "script" | "terms";

export function setKernelMode(next: KernelMode): void {
  mode = next;
}

function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    compiled = null;
    if (typeof WebAssembly !== "object") return compiled;
    const bytes = new Uint8Array(KERNEL_WASM);
    try {
      compiled = new WebAssembly.Module(bytes);
    } catch {
      // A policy that forbids compiling it, or (Chromium before 114) a main thread that may
      // compile at most 4 KB at once: this fit runs in script, and later ones in WebAssembly
      // should the same module compile off the thread.
      WebAssembly.compile(bytes).then(
        (module) => (compiled = module),
        () => undefined,
      );
    }
  }
  return compiled;
}

/**
 * Compiles the module, and makes the instance the first fit will take, off the main thread: for
 * the bundle to call as it loads. Excel calls a custom function in a message after its runtime
 * has started, so by the first fit both are usually ready, and it skips the 1.5–2 ms they cost
 * on the main thread (V8 starting WebAssembly, compiling, instantiating). Should the first fit
 * come sooner, it compiles at once as it would have without this.
 */
export function prepareKernels(): void {
  if (compiled !== undefined || typeof WebAssembly !== "object") return;
  WebAssembly.instantiate(new Uint8Array(KERNEL_WASM)).then(
    ({ module, instance }) => {
      if (compiled === undefined) compiled = module;
      spare ??= instance.exports as unknown as KernelExports;
    },
    () => undefined, // refused (a policy): the first fit finds out for itself
  );
}

/**
 * Above this many doubles (8 MiB) a workspace runs the script kernels. With that much data the
 * engine compiles the script's loops within the first evaluation, and they run as fast as the
 * WebAssembly ones or faster (measured: Gamma-Gamma fits alike at 300,000 rows, 30% faster in
 * script at 1,000,000), while a WebAssembly memory that large counts against the engine's
 * external memory and brings on full collections of a heap that holds a million-cell argument
 * (about 200 ms on a 1,000,000-row Gamma-Gamma fit).
 */
export const LARGEST_WASM_WORKSPACE = 1 << 20;

/** A workspace for arrays of `doubles` doubles and `ints` integers in all. */
export function workspace(doubles: number, ints: number): Workspace {
  const large = doubles + ints / 2 > LARGEST_WASM_WORKSPACE;
  const module = mode !== "script" && !large ? kernelModule() : null;
  if (module) {
    const made = wasmWorkspace(module, doubles, ints);
    if (made) return made;
  }
  return {
    engine: "script",
    f64: (n) => new Float64Array(n),
    i32: (n) => new Int32Array(n),
    readF64: (source) => source,
    readI32: (source) => source,
    release: () => undefined,
    distinct: script.distinct,
    spendSums: script.spendSums,
    spendPrepare: script.spendPrepare,
    spendTerms: script.spendTerms,
    spendMoments: script.spendMoments,
    gammaFamily: script.gammaFamily,
    shiftedLogs: script.shiftedLogs,
    repeatBuyerSums: script.repeatBuyerSums,
    bgnbdTerms: script.bgnbdTerms,
    bgnbdPrepare: script.bgnbdPrepare,
  };
}

/** spendTerms' arguments after p, q and γ as the module takes them: arrays as their offsets, no weights as −1. */
function spendTermsArguments(d: SpendTermsData): number[] {
  return [d.total, d.slopeP, d.constant, d.groups, d.xs.byteOffset, d.groupWeight.byteOffset, d.start.byteOffset, d.mx.byteOffset, d.weight ? d.weight.byteOffset : -1, d.args.byteOffset, d.family.byteOffset, d.sums.byteOffset, d.out.byteOffset];
}

const PAGE = 65536;

/** The largest memory kept for reuse (1 MiB): warm fits on more data than that barely notice making an instance. */
const SPARE_LARGEST = 1 << 20;
/** An instance whose workspace was released, kept for the next (one is enough: fits run one at a time). */
let spare: KernelExports | undefined;

function wasmWorkspace(module: WebAssembly.Module, doubles: number, ints: number): Workspace | undefined {
  const bytes = 8 * doubles + 4 * ints;
  let exports: KernelExports;
  try {
    if (spare) {
      exports = spare;
      spare = undefined;
      new Uint8Array(exports.memory.buffer, 0, Math.min(bytes, exports.memory.buffer.byteLength)).fill(0); // as a new memory: the kernels expect zeros
    } else {
      exports = new WebAssembly.Instance(module).exports as unknown as KernelExports;
    }
    const pages = Math.ceil(bytes / PAGE) - exports.memory.buffer.byteLength / PAGE;
    if (pages > 0) exports.memory.grow(pages);
  } catch {
    return undefined; // too large for this engine's memory: the script kernels need no more than the arrays
  }
  const buffer = exports.memory.buffer; // final while the workspace is in use: the memory grows only between workspaces, so the views stay valid
  let released = false;
  let nextDouble = 0; // doubles from the start of memory, then integers
  let nextInt = 2 * doubles;
  return {
    engine: "wasm",
    f64(n) {
      if (nextDouble + n > doubles) throw new RangeError("workspace: more doubles asked for than it was made for");
      const view = new Float64Array(buffer, 8 * nextDouble, n);
      nextDouble += n;
      return view;
    },
    i32(n) {
      if (nextInt + n > 2 * doubles + ints) throw new RangeError("workspace: more integers asked for than it was made for");
      const view = new Int32Array(buffer, 4 * nextInt, n);
      nextInt += n;
      return view;
    },
    release() {
      if (released) return;
      released = true;
      if (buffer.byteLength <= SPARE_LARGEST) spare = exports; // a larger memory is let go rather than held for good
    },
    readF64(source) {
      const view = this.f64(source.length);
      view.set(source);
      return view;
    },
    readI32(source) {
      const view = this.i32(source.length);
      view.set(source);
      return view;
    },
    distinct: (column, n, values, index, slots, size) => exports.distinct(column.byteOffset, n, values.byteOffset, index.byteOffset, slots.byteOffset, size),
    spendSums: (mx, weight, start, groups, gamma, out) => exports.spendSums(mx.byteOffset, weight ? weight.byteOffset : -1, start.byteOffset, groups, gamma, out.byteOffset),
    spendPrepare: (m, weight, group, n, groups, xs, start, mx, w, sums) =>
      exports.spendPrepare(m.byteOffset, weight.byteOffset, group.byteOffset, n, groups, xs.byteOffset, start.byteOffset, mx.byteOffset, w.byteOffset, sums.byteOffset),
    spendTerms: (p, q, gamma, total, slopeP, constant, groups, xs, groupWeight, start, mx, weight, args, family, sums, out) =>
      exports.spendTerms(
        p,
        q,
        gamma,
        total,
        slopeP,
        constant,
        groups,
        xs.byteOffset,
        groupWeight.byteOffset,
        start.byteOffset,
        mx.byteOffset,
        weight ? weight.byteOffset : -1,
        args.byteOffset,
        family.byteOffset,
        sums.byteOffset,
        out.byteOffset,
      ),
    spendFit: mode === "terms" ? undefined : (phi, work, scale, tolerance, polish, maxIterations, model) =>
      exports.spendFit(phi.byteOffset, work.byteOffset, scale, tolerance, polish, maxIterations, ...spendTermsArguments(model)),
    spendMoments: (xs, sums, groups, total, groupWeight, out) => exports.spendMoments(xs.byteOffset, sums.byteOffset, groups, total, groupWeight.byteOffset, out.byteOffset),
    gammaFamily: (args, n, out) => exports.gammaFamily(args.byteOffset, n, out.byteOffset),
    shiftedLogs: (values, n, shift, logs, invs) => exports.shiftedLogs(values.byteOffset, n, shift, logs.byteOffset, invs.byteOffset),
    repeatBuyerSums: (weight, jT, jTx, logT, invT, logTx, invTx, from, end, rx, logA4, out) =>
      exports.repeatBuyerSums(weight.byteOffset, jT.byteOffset, jTx.byteOffset, logT.byteOffset, invT.byteOffset, logTx.byteOffset, invTx.byteOffset, from, end, rx, logA4, out.byteOffset),
    pnbdBrackets: (r, alpha, s, beta, logS, rows, weight, frequency, recency, T, xIndex, tIndex, txIndex, alphaT, betaT, base1, base2, logA, nodes, weights, scratch, out) =>
      exports.pnbdBrackets(
        r,
        alpha,
        s,
        beta,
        logS,
        rows,
        weight.byteOffset,
        frequency.byteOffset,
        recency.byteOffset,
        T.byteOffset,
        xIndex.byteOffset,
        tIndex.byteOffset,
        txIndex.byteOffset,
        alphaT.byteOffset,
        betaT.byteOffset,
        base1.byteOffset,
        base2.byteOffset,
        logA.byteOffset,
        nodes.byteOffset,
        weights.byteOffset,
        scratch.byteOffset,
        out.byteOffset,
      ),
    bgnbdPrepare: (weight, frequency, T, xIndex, tIndex, txIndex, n, groups, start, w, jT, jTx, weightT, weightXT, groupWeight, totals) =>
      exports.bgnbdPrepare(
        weight.byteOffset,
        frequency.byteOffset,
        T.byteOffset,
        xIndex.byteOffset,
        tIndex.byteOffset,
        txIndex.byteOffset,
        n,
        groups,
        start.byteOffset,
        w.byteOffset,
        jT.byteOffset,
        jTx.byteOffset,
        weightT.byteOffset,
        weightXT.byteOffset,
        groupWeight.byteOffset,
        totals.byteOffset,
      ),
    bgnbdTerms: (r, alpha, a, b, total, nT, tValues, weightT, weightXT, logT, invT, nTx, txValues, logTx, invTx, groups, xs, groupWeight, start, weight, jT, jTx, largest, direct, tables, scratch, out) =>
      exports.bgnbdTerms(
        r,
        alpha,
        a,
        b,
        total,
        nT,
        tValues.byteOffset,
        weightT.byteOffset,
        weightXT.byteOffset,
        logT.byteOffset,
        invT.byteOffset,
        nTx,
        txValues.byteOffset,
        logTx.byteOffset,
        invTx.byteOffset,
        groups,
        xs.byteOffset,
        groupWeight.byteOffset,
        start.byteOffset,
        weight.byteOffset,
        jT.byteOffset,
        jTx.byteOffset,
        largest,
        direct,
        tables.byteOffset,
        scratch.byteOffset,
        out.byteOffset,
      ),
  };
}
