/**
 * Synthetic repeat-buyer data drawn from the BG/NBD process itself (Fader, Hardie & Lee
 * 2005, section 2), with a seeded generator so every run sees the same customers.
 * Times are whole days expressed in weeks, as a data warehouse would record them.
 */
export interface SyntheticCustomers {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
}

/** xoshiro128** (Blackman & Vigna), seeded by splitmix32: fast, and the same on every machine. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  const next32 = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = next32();
  let b = next32();
  let c = next32();
  let d = next32();
  return () => {
    const result = Math.imul(((Math.imul(b, 5) << 7) | (Math.imul(b, 5) >>> 25)) >>> 0, 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = (d << 11) | (d >>> 21);
    return (result + 0.5) / 4294967296;
  };
}

function normal(random: () => number): number {
  // Box–Muller; one of the pair is enough here.
  return Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000), with the boost for shape < 1. */
export function gammaVariate(random: () => number, shape: number): number {
  if (shape < 1) return gammaVariate(random, shape + 1) * Math.pow(random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Draws customers from BG/NBD(r, α, a, b), each observed for a whole number of days up to maxDays. */
export function simulateBgNbd(
  count: number,
  params: { r: number; alpha: number; a: number; b: number },
  { seed = 1, maxDays = 546 } = {},
): SyntheticCustomers {
  const random = seededRandom(seed);
  const frequency = new Float64Array(count);
  const recency = new Float64Array(count);
  const T = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const lambda = gammaVariate(random, params.r) / params.alpha; // purchases per week
    const ga = gammaVariate(random, params.a);
    const p = ga / (ga + gammaVariate(random, params.b)); // dropout probability after a purchase
    const days = 1 + Math.floor(random() * maxDays);
    const age = days / 7;
    let t = 0;
    let x = 0;
    let last = 0;
    for (;;) {
      t += -Math.log(random()) / lambda;
      if (t > age) break;
      x++;
      last = t;
      if (random() < p) break;
    }
    frequency[i] = x;
    recency[i] = x === 0 ? 0 : Math.floor(last * 7) / 7; // purchase days, in weeks
    T[i] = age;
  }
  return { frequency, recency, T };
}
