import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ChebyshevPanels } from "../../../src/core/special/chebyshev";

describe("ChebyshevPanels", () => {
  it("reproduces functions analytic in a wide strip to rounding", () => {
    const functions: [string, (w: number) => number][] = [
      ["exp(−0.7w)·cos(w)", (w) => Math.exp(-0.7 * w) * Math.cos(w)],
      ["1/(1 + e^−w)", (w) => 1 / (1 + Math.exp(-w))], // poles at Im w = ±π, like the BG/NBD curve's cut
      ["w³ − 2w", (w) => w * w * w - 2 * w],
    ];
    for (const [name, f] of functions) {
      const g = new ChebyshevPanels(f);
      let worst = 0;
      for (let w = 0; w <= 30; w += 0.0137) worst = Math.max(worst, Math.abs(g.value(w) - f(w)) / Math.max(1, Math.abs(f(w))));
      assert.ok(worst < 1e-13, `${name}: worst relative error ${worst}`);
    }
  });

  it("builds a panel only where a value is asked for, and computes far arguments directly", () => {
    let calls = 0;
    const f = (w: number) => {
      calls++;
      return Math.sin(w);
    };
    const g = new ChebyshevPanels(f, 2, 22, 100);
    g.value(0.5);
    g.value(1.9);
    assert.equal(g.built, 1);
    assert.equal(calls, 22);
    g.value(51);
    assert.equal(g.built, 2);
    assert.equal(g.value(1e6), Math.sin(1e6)); // beyond maxArgument: f itself
    assert.ok(Number.isNaN(g.value(Number.NaN)));
    assert.equal(g.built, 2);
  });
});
