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
    assert.deepEqual(g.built, { interpolants: 1, direct: 0 });
    assert.equal(calls, 22);
    g.value(51);
    assert.deepEqual(g.built, { interpolants: 2, direct: 0 });
    assert.equal(g.value(1e6), Math.sin(1e6)); // beyond maxArgument: f itself
    assert.ok(Number.isNaN(g.value(Number.NaN)));
  });

  it("splits a panel its interpolant does not resolve, and computes directly where a node is not finite", () => {
    const steep = (w: number) => Math.exp(-40 * w); // far steeper than a panel of width 2 resolves
    const g = new ChebyshevPanels(steep);
    let worst = 0;
    for (let w = 0; w <= 2; w += 0.0013) worst = Math.max(worst, Math.abs(g.value(w) - steep(w)));
    assert.ok(worst < 1e-13, `worst absolute error ${worst}`);
    assert.ok(g.built.interpolants > 1, "the panel was split");
    const holed = new ChebyshevPanels((w) => (w > 3.5 && w < 3.6 ? Number.NaN : Math.cos(w)));
    assert.equal(holed.value(3.2), Math.cos(3.2), "a node that is not finite: the panel is computed directly");
    assert.deepEqual(holed.built, { interpolants: 0, direct: 1 });
  });
});
