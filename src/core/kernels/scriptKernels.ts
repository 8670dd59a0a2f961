/**
 * The kernels of kernels.wat in script, for engines without WebAssembly (or where its module
 * cannot be made), and for large data. Each computes what its WebAssembly twin computes, in
 * the same order of operations, with Math.log, Math.exp and Math.log1p where the module has
 * its own; both agree to about an ulp (test/core/kernels.test.ts holds them to each other).
 * Arrays are ordinary typed arrays here.
 */

/** Gamma-Gamma: per group k of rows start[k]…start[k+1]−1, Σ w ln b, Σ w/b, Σ w/b² (b = γ + mx) into out[3k…3k+2]; no weights: every w is 1. */
export function spendSums(mx: Float64Array, weight: Float64Array | undefined, start: Int32Array, groups: number, gamma: number, out: Float64Array): void {
  for (let k = 0; k < groups; k++) {
    let lb = 0;
    let inv = 0;
    let inv2 = 0;
    const end = start[k + 1] as number;
    if (weight === undefined) {
      for (let i = start[k] as number; i < end; i++) {
        const b = gamma + (mx[i] as number);
        const u = 1 / b;
        lb += Math.log(b);
        inv += u;
        inv2 += u * u;
      }
    } else {
      for (let i = start[k] as number; i < end; i++) {
        const b = gamma + (mx[i] as number);
        const w = weight[i] as number;
        const u = w / b;
        lb += w * Math.log(b);
        inv += u;
        inv2 += u / b;
      }
    }
    out[3 * k] = lb;
    out[3 * k + 1] = inv;
    out[3 * k + 2] = inv2;
  }
}

/**
 * Gamma-Gamma: the whole log-likelihood, its gradient in (p, q, γ) and its Hessian, as
 * src/core/purchase/gammaGamma.ts describes them, into out[0…9]: value; ∂p, ∂q, ∂γ; then pp, pq,
 * pγ, qq, qγ, γγ. The rows come grouped by {@link spendPrepare} (no weights: every weight 1);
 * slopeP = Σ w x (ln m + ln x) and constant = Σ w ln m. args (2·groups+1 doubles), family (three
 * times as many) and sums (3·groups) are work space.
 */
export function spendTerms(
  p: number,
  q: number,
  gamma: number,
  total: number,
  slopeP: number,
  constant: number,
  groups: number,
  xs: Float64Array,
  groupWeight: Float64Array,
  start: Int32Array,
  mx: Float64Array,
  weight: Float64Array | undefined,
  args: Float64Array,
  family: Float64Array,
  sums: Float64Array,
  out: Float64Array,
): void {
  for (let k = 0; k < groups; k++) {
    const px = p * (xs[k] as number);
    args[2 * k] = px + q;
    args[2 * k + 1] = px;
  }
  args[2 * groups] = q;
  gammaFamily(args, 2 * groups + 1, family);
  spendSums(mx, weight, start, groups, gamma, sums);
  const logGammaParam = Math.log(gamma);
  const ofQ = 6 * groups;
  let value = p * slopeP - constant + total * (q * logGammaParam - (family[ofQ] as number));
  let dp = slopeP;
  let dq = total * (logGammaParam - (family[ofQ + 1] as number));
  let dg = (total * q) / gamma;
  let hpp = 0;
  let hpq = 0;
  let hpg = 0;
  let hqq = -total * (family[ofQ + 2] as number);
  let hqg = total / gamma;
  let hgg = (-total * q) / (gamma * gamma);
  for (let k = 0; k < groups; k++) {
    const lb = sums[3 * k] as number;
    const inv = sums[3 * k + 1] as number;
    const x = xs[k] as number;
    const w = groupWeight[k] as number;
    const px = p * x;
    const psiPxq = family[6 * k + 1] as number;
    value += w * ((family[6 * k] as number) - (family[6 * k + 3] as number)) - (px + q) * lb;
    dp += x * (w * (psiPxq - (family[6 * k + 4] as number)) - lb);
    dq += w * psiPxq - lb;
    dg -= (px + q) * inv;
    const tri = family[6 * k + 2] as number;
    hpp += w * x * x * (tri - (family[6 * k + 5] as number));
    hpq += w * x * tri;
    hpg -= x * inv;
    hqq += w * tri;
    hqg -= inv;
    hgg += (px + q) * (sums[3 * k + 2] as number);
  }
  out[0] = value;
  out[1] = dp;
  out[2] = dq;
  out[3] = dg;
  out[4] = hpp;
  out[5] = hpq;
  out[6] = hpg;
  out[7] = hqq;
  out[8] = hqg;
  out[9] = hgg;
}

/** The size of {@link distinct}'s hash table for at most n distinct values: a power of two, at least 16 and 2n. */
export function hashSlots(n: number): number {
  let size = 16;
  while (size < n * 2) size *= 2;
  return size;
}

/**
 * The distinct values of column[0…n−1], in order of first appearance, into values, and for each
 * row the number of its value among them into index; returns how many there are. slots (size of
 * them, {@link hashSlots} of at least as many as there are distinct values) is the hash table.
 * O(n) expected.
 */
export function distinct(column: Float64Array, n: number, values: Float64Array, index: Int32Array, slots: Int32Array, size: number): number {
  slots.fill(-1, 0, size);
  const mask = size - 1;
  const bits = new Float64Array(1);
  const words = new Int32Array(bits.buffer);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const v = column[i] as number;
    bits[0] = v;
    // The value's two 32-bit words mixed as in customers.ts's CollapseTable.add, written out.
    let h = Math.imul((words[0] as number) ^ 0x9e3779b9, 0xcc9e2d51);
    h = Math.imul(h ^ (h >>> 15) ^ (words[1] as number), 0x85ebca6b);
    h ^= h >>> 13;
    let slot = (h ^ (h >>> 16)) & mask;
    for (;;) {
      const at = slots[slot] as number;
      if (at === -1) {
        slots[slot] = count;
        values[count] = v;
        index[i] = count++;
        break;
      }
      if (values[at] === v) {
        index[i] = at;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return count;
}

/**
 * Gamma-Gamma's totals and the start of its fit, from spendPrepare's sums per group
 * (Σ w, Σ w ln m, Σ w (ln m)², Σ w m for group k at sums[4k…4k+3], of x = xs[k]): groupWeight[k]
 * = Σ w of group k, and out[0…4] = Σ w ln m, Σ w x (ln m + ln x) (the coefficient of p in the
 * log-likelihood), then the start p, q, γ by moments of ln m. Among the customers with x
 * transactions, m | ν ~ Gamma(px, xν) and ν ~ Gamma(q, γ), so ln m has variance ψ′(px) + ψ′(q)
 * ≈ 1/(px) + ψ′(q) and mean ψ(px) − ln x − ψ(q) + ln γ. A weighted regression of the variance
 * within each x on 1/x gives p (from the slope) and q (from the intercept), the mean then γ.
 * Logarithms, unlike moments of m itself, stay steady under the long right tail of spend.
 * Where the regression gives nothing sensible (one x, too few customers, a slope or an
 * intercept not above 0), the start is p = 1, q = 2 with pγ/(q−1) at the observed mean.
 */
export function spendMoments(xs: Float64Array, sums: Float64Array, groups: number, total: number, groupWeight: Float64Array, out: Float64Array): void {
  let constant = 0;
  let slopeP = 0;
  let mean = 0;
  // The variance of ln m within each x with two customers or more, weighted by its degrees of freedom, against 1/x.
  let c = 0;
  let cu = 0;
  let cv = 0;
  for (let k = 0; k < groups; k++) {
    const w = sums[4 * k] as number;
    const sum = sums[4 * k + 1] as number;
    const x = xs[k] as number;
    groupWeight[k] = w;
    constant += sum;
    slopeP += x * (sum + w * Math.log(x));
    mean += sums[4 * k + 3] as number;
    if (!(w >= 2)) continue;
    const variance = ((sums[4 * k + 2] as number) - (sum * sum) / w) / (w - 1);
    c += w - 1;
    cu += (w - 1) / x;
    cv += (w - 1) * variance;
  }
  mean /= total;
  const uBar = cu / c;
  const vBar = cv / c;
  let suu = 0;
  let suv = 0;
  let sumLog = 0; // Σ w ln m
  let sumHalf = 0; // Σ w/(2x)
  for (let k = 0; k < groups; k++) {
    const w = sums[4 * k] as number;
    const sum = sums[4 * k + 1] as number;
    const x = xs[k] as number;
    sumLog += sum;
    sumHalf += w / (2 * x);
    if (!(w >= 2)) continue;
    const du = 1 / x - uBar;
    const variance = ((sums[4 * k + 2] as number) - (sum * sum) / w) / (w - 1);
    suu += (w - 1) * du * du;
    suv += (w - 1) * du * (variance - vBar);
  }
  const slope = suv / suu;
  const intercept = vBar - slope * uBar;
  out[0] = constant;
  out[1] = slopeP;
  out[2] = 1;
  out[3] = 2;
  out[4] = mean;
  if (slope > 0 && intercept > 0) {
    const p = 1 / slope;
    const q = 1 / intercept + 0.5; // ψ′(q) ≈ 1/q + 1/(2q²), inverted roughly
    // ln γ = mean(ln m − ψ(px) + ln x) + ψ(q), with ψ(z) ≈ ln z − 1/(2z).
    const gamma = Math.exp(sumLog / total - Math.log(p) + sumHalf / (p * total) + Math.log(q) - 1 / (2 * q));
    if (p > 1e-3 && p < 1e3 && q > 1e-3 && q < 1e3 && gamma > 0 && gamma < Number.POSITIVE_INFINITY) {
      out[2] = p;
      out[3] = q;
      out[4] = gamma;
    }
  }
}

/**
 * Gamma-Gamma's rows, grouped: row i (mean spend m[i], weight[i]) is in group group[i] of
 * `groups`, whose frequencies are xs. Sorts the rows by group (start[0…groups] gets each group's
 * first place, then the end), writing m·x into mx and the weights into w in group order, and
 * per group k into sums[4k…4k+3]: Σ w, Σ w ln m, Σ w (ln m)², Σ w m. `start` and `sums` come in
 * zeroed. Returns 1 when every weight is 1.
 */
export function spendPrepare(
  m: Float64Array,
  weight: Float64Array,
  group: Int32Array,
  n: number,
  groups: number,
  xs: Float64Array,
  start: Int32Array,
  mx: Float64Array,
  w: Float64Array,
  sums: Float64Array,
): number {
  let unit = 1;
  countSort(group, n, groups, start);
  for (let i = 0; i < n; i++) {
    const g = group[i] as number;
    const at = start[g] as number;
    start[g] = at + 1;
    const mi = m[i] as number;
    const wi = weight[i] as number;
    if (wi !== 1) unit = 0;
    const lm = Math.log(mi);
    mx[at] = mi * (xs[g] as number);
    w[at] = wi;
    sums[4 * g] = (sums[4 * g] as number) + wi;
    sums[4 * g + 1] = (sums[4 * g + 1] as number) + wi * lm;
    sums[4 * g + 2] = (sums[4 * g + 2] as number) + wi * lm * lm;
    sums[4 * g + 3] = (sums[4 * g + 3] as number) + wi * mi;
  }
  countSortDone(groups, start);
  return unit;
}

/**
 * BG/NBD's rows, grouped: row i (weight[i], frequency[i], T[i]) has frequency number xIndex[i]
 * of `groups`, T number tIndex[i] and t_x number txIndex[i]. Sorts the rows by frequency
 * (start[0…groups] as in spendPrepare), writing in group order their weights into w and their T
 * and t_x numbers into jT and jTx; sums per distinct T into weightT (Σ w) and weightXT (Σ w x),
 * per group into groupWeight (Σ w), and into totals[0], totals[1] Σ w T and Σ w x. Every output
 * comes in zeroed.
 */
export function bgnbdPrepare(
  weight: Float64Array,
  frequency: Float64Array,
  T: Float64Array,
  xIndex: Int32Array,
  tIndex: Int32Array,
  txIndex: Int32Array,
  n: number,
  groups: number,
  start: Int32Array,
  w: Float64Array,
  jT: Int32Array,
  jTx: Int32Array,
  weightT: Float64Array,
  weightXT: Float64Array,
  groupWeight: Float64Array,
  totals: Float64Array,
): void {
  countSort(xIndex, n, groups, start);
  for (let i = 0; i < n; i++) {
    const g = xIndex[i] as number;
    const pos = start[g] as number;
    start[g] = pos + 1;
    const wi = weight[i] as number;
    const xi = frequency[i] as number;
    const j = tIndex[i] as number;
    w[pos] = wi;
    jT[pos] = j;
    jTx[pos] = txIndex[i] as number;
    weightT[j] = (weightT[j] as number) + wi;
    weightXT[j] = (weightXT[j] as number) + wi * xi;
    groupWeight[g] = (groupWeight[g] as number) + wi;
    totals[0] = (totals[0] as number) + wi * (T[i] as number);
    totals[1] = (totals[1] as number) + wi * xi;
  }
  countSortDone(groups, start);
}

/**
 * The first half of a counting sort of n rows into `groups` by group[i]: start[g] becomes the
 * first place of group g (start comes in zeroed). Placing a row counts start[g] up by one;
 * {@link countSortDone} then sets start[0…groups] back to the groups' first places and the end.
 */
function countSort(group: Int32Array, n: number, groups: number, start: Int32Array): void {
  for (let i = 0; i < n; i++) {
    const k = (group[i] as number) + 1;
    start[k] = (start[k] as number) + 1;
  }
  for (let k = 0; k < groups; k++) start[k + 1] = (start[k + 1] as number) + (start[k] as number);
}

/** See {@link countSort}: after placing, start[g] holds group g's end, the next group's start. */
function countSortDone(groups: number, start: Int32Array): void {
  for (let k = groups; k > 0; k--) start[k] = start[k - 1] as number;
  start[0] = 0;
}

/**
 * ln Γ(x), ψ(x) and ψ′(x) of each of n arguments into out[3i…3i+2]; NaN for an argument not
 * above 0. The recurrences carry x to y ≥ 10, where Stirling's series and its derivatives to
 * B₁₄ (Abramowitz & Stegun 6.1.40, 6.3.18, 6.4.12) leave a next term below 1e-16 of the value.
 * ln Γ is exact to about 1e-15 absolute (so near its zeros at 1 and 2, not relative: a
 * likelihood sums it, and needs no more); ψ likewise; ψ′ to a few ulps.
 */
export function gammaFamily(args: Float64Array, n: number, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const x = args[i] as number;
    if (!(x > 0)) {
      out[3 * i] = Number.NaN;
      out[3 * i + 1] = Number.NaN;
      out[3 * i + 2] = Number.NaN;
      continue;
    }
    let y = x;
    let prod = 1;
    let s1 = 0;
    let s2 = 0;
    while (y < 10) {
      prod *= y;
      s1 += 1 / y;
      s2 += 1 / (y * y);
      y += 1;
    }
    const z = 1 / (y * y);
    const ly = Math.log(y);
    const lg = 1 / 12 + z * (-1 / 360 + z * (1 / 1260 + z * (-1 / 1680 + z * (1 / 1188 + z * (-691 / 360360 + z * (1 / 156))))));
    out[3 * i] = (y - 0.5) * ly - y + 0.9189385332046727 + lg / y - Math.log(prod);
    const dg = 1 / 12 + z * (-1 / 120 + z * (1 / 252 + z * (-1 / 240 + z * (1 / 132 + z * (-691 / 32760 + z * (1 / 12))))));
    out[3 * i + 1] = ly - 0.5 / y - z * dg - s1;
    const tg = 1 / 6 + z * (-1 / 30 + z * (1 / 42 + z * (-1 / 30 + z * (5 / 66 + z * (-691 / 2730 + z * (7 / 6))))));
    out[3 * i + 2] = s2 + (1 + (0.5 + tg / y) / y) / y;
  }
}

/** logs[j] = ln(shift + values[j]) and invs[j] = 1/(shift + values[j]) for j < n. */
export function shiftedLogs(values: Float64Array, n: number, shift: number, logs: Float64Array, invs: Float64Array): void {
  for (let j = 0; j < n; j++) {
    const age = shift + (values[j] as number);
    logs[j] = Math.log(age);
    invs[j] = 1 / age;
  }
}

/**
 * BG/NBD: the sums over the repeat buyers' rows from…end−1 of one frequency (rx = r + x) that
 * src/core/purchase/bgnbd.ts describes, into out[0…10]: of w ln(1 + e^Δ), w p, w p D, w p δ,
 * w p (1/(α+t_x)² − 1/(α+T)²), and w p(1−p) times 1, D, δ, D², D δ, δ², where
 * Δ = logA4 − rx D, p = e^Δ/(1 + e^Δ), D = ln(α+t_x) − ln(α+T), δ = 1/(α+t_x) − 1/(α+T).
 */
export function repeatBuyerSums(
  weight: Float64Array,
  jT: Int32Array,
  jTx: Int32Array,
  logT: Float64Array,
  invT: Float64Array,
  logTx: Float64Array,
  invTx: Float64Array,
  from: number,
  end: number,
  rx: number,
  logA4: number,
  out: Float64Array,
): void {
  let soft = 0;
  let sP = 0;
  let sPD = 0;
  let sPd = 0;
  let sPd2 = 0;
  let sQ = 0;
  let sQD = 0;
  let sQd = 0;
  let sQDD = 0;
  let sQDd = 0;
  let sQdd = 0;
  for (let at = from; at < end; at++) {
    const wi = weight[at] as number;
    const t = jT[at] as number;
    const tx = jTx[at] as number;
    const iT = invT[t] as number;
    const iTx = invTx[tx] as number;
    const D = (logTx[tx] as number) - (logT[t] as number);
    const delta = logA4 - rx * D;
    const e = Math.exp(-Math.abs(delta));
    const p = delta >= 0 ? 1 / (1 + e) : e / (1 + e);
    const wp = wi * p;
    const d = iTx - iT;
    const wpq = wp * (1 - p);
    soft += wi * (Math.max(delta, 0) + Math.log1p(e));
    sP += wp;
    sPD += wp * D;
    sPd += wp * d;
    sPd2 += wp * (iTx * iTx - iT * iT);
    sQ += wpq;
    sQD += wpq * D;
    sQd += wpq * d;
    sQDD += wpq * D * D;
    sQDd += wpq * D * d;
    sQdd += wpq * d * d;
  }
  out[0] = soft;
  out[1] = sP;
  out[2] = sPD;
  out[3] = sPd;
  out[4] = sPd2;
  out[5] = sQ;
  out[6] = sQD;
  out[7] = sQd;
  out[8] = sQDD;
  out[9] = sQDd;
  out[10] = sQdd;
}

/**
 * BG/NBD: the whole log-likelihood, its gradient in (r, α, a, b) and its Hessian, as
 * src/core/purchase/bgnbd.ts describes them, into out[0…14]: value; ∂r, ∂α, ∂a, ∂b; then
 * rr, rα, αα, ra, rb, αa, αb, aa, ab, bb. ln Γ(s+x) − ln Γ(s) and its ψ, ψ′ differences for the
 * shapes s = r, b, a+b come from the recurrences summed to the largest x into `tables`
 * (9 × (largest+1) doubles), or with `direct` from {@link gammaFamily} at s+x and s. `scratch`
 * holds 32 doubles.
 */
export function bgnbdTerms(
  r: number,
  alpha: number,
  a: number,
  b: number,
  total: number,
  nT: number,
  tValues: Float64Array,
  weightT: Float64Array,
  weightXT: Float64Array,
  logT: Float64Array,
  invT: Float64Array,
  nTx: number,
  txValues: Float64Array,
  logTx: Float64Array,
  invTx: Float64Array,
  groups: number,
  xs: Float64Array,
  groupWeight: Float64Array,
  start: Int32Array,
  weight: Float64Array,
  jT: Int32Array,
  jTx: Int32Array,
  largest: number,
  direct: number,
  tables: Float64Array,
  scratch: Float64Array,
  out: Float64Array,
): void {
  const logAlpha = Math.log(alpha);
  const logAParam = Math.log(a);
  const width = largest + 1;
  const shapes = [r, b, a + b];
  const at = new Float64Array(1);
  const three = new Float64Array(3);
  for (let shape = 0; shape < 3; shape++) {
    const s = shapes[shape] as number;
    if (direct) {
      at[0] = s;
      gammaFamily(at, 1, three);
      scratch.set(three, 11 + 3 * shape);
      continue;
    }
    let log = 0;
    let psi = 0;
    let tri = 0;
    for (let x = 1; x <= largest; x++) {
      const term = s + x - 1;
      log += Math.log(term);
      psi += 1 / term;
      tri -= 1 / (term * term);
      tables[(shape * 3) * width + x] = log;
      tables[(shape * 3 + 1) * width + x] = psi;
      tables[(shape * 3 + 2) * width + x] = tri;
    }
  }
  // A1's r ln α and A3's −(r+x) ln(α+T) over every customer, from the sums per distinct T.
  let value = total * r * logAlpha;
  let dr = total * logAlpha;
  let dalpha = (total * r) / alpha;
  let da = 0;
  let db = 0;
  let hrr = 0;
  let hra = total / alpha;
  let haa = (-total * r) / (alpha * alpha);
  let hrA = 0;
  let hrB = 0;
  let haA = 0;
  let haB = 0;
  let hAA = 0;
  let hAB = 0;
  let hBB = 0;
  shiftedLogs(tValues, nT, alpha, logT, invT);
  for (let j = 0; j < nT; j++) {
    const lT = logT[j] as number;
    const iT = invT[j] as number;
    const w = weightT[j] as number;
    const wrx = r * w + (weightXT[j] as number);
    value -= wrx * lT;
    dr -= w * lT;
    dalpha -= wrx * iT;
    hra -= w * iT;
    haa += wrx * iT * iT;
  }
  shiftedLogs(txValues, nTx, alpha, logTx, invTx);
  const ratio = new Float64Array(9);
  for (let k = 0; k < groups; k++) {
    const x = xs[k] as number;
    if (!(x > 0)) continue; // no A2, no A4: their terms are all above
    const w = groupWeight[k] as number;
    const rx = r + x;
    const logA4 = logAParam - Math.log(b + x - 1);
    const iB = 1 / (b + x - 1);
    repeatBuyerSums(weight, jT, jTx, logT, invT, logTx, invTx, start[k] as number, start[k + 1] as number, rx, logA4, scratch);
    const [soft, sP, sPD, sPd, sPd2, sQ, sQD, sQd, sQDD, sQDd, sQdd] = scratch as unknown as number[];
    for (let shape = 0; shape < 3; shape++) {
      if (direct) {
        at[0] = (shapes[shape] as number) + x;
        gammaFamily(at, 1, three);
        for (let kind = 0; kind < 3; kind++) ratio[shape + 3 * kind] = (three[kind] as number) - (scratch[11 + 3 * shape + kind] as number);
      } else {
        for (let kind = 0; kind < 3; kind++) ratio[shape + 3 * kind] = tables[(shape * 3 + kind) * width + x] as number;
      }
    }
    const [l0, l1, l2, p0, p1, p2, t0, t1, t2] = ratio as unknown as number[];
    const psiABx = p2 as number;
    value += w * ((l0 as number) + (l1 as number) - (l2 as number)) + (soft as number);
    dr += w * (p0 as number) - (sPD as number);
    dalpha -= rx * (sPd as number);
    da += (sP as number) / a - w * psiABx;
    db += w * ((p1 as number) - psiABx) - (sP as number) * iB;
    const triABx = t2 as number;
    hrr += w * (t0 as number) + (sQDD as number);
    hra -= (sPd as number) - rx * (sQDd as number);
    haa += rx * (sPd2 as number) + rx * rx * (sQdd as number);
    hrA -= (sQD as number) / a;
    hrB += (sQD as number) * iB;
    haA -= (rx * (sQd as number)) / a;
    haB += rx * (sQd as number) * iB;
    hAA += ((sQ as number) - (sP as number)) / (a * a) - w * triABx;
    hAB -= ((sQ as number) * iB) / a + w * triABx;
    hBB += ((sP as number) + (sQ as number)) * iB * iB + w * ((t1 as number) - triABx);
  }
  out.set([value, dr, dalpha, da, db, hrr, hra, haa, hrA, hrB, haA, haB, hAA, hAB, hBB]);
}
