import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { invertPositiveDefinite, minimizeBfgs } from "../../../src/core/fitting/minimize";

describe("minimizeBfgs", () => {
  it("finds the minimum of Rosenbrock's function from the classic start", () => {
    const rosenbrock = ([x, y]: readonly number[]) => ({
      value: (1 - x!) ** 2 + 100 * (y! - x! * x!) ** 2,
      gradient: [-2 * (1 - x!) - 400 * x! * (y! - x! * x!), 200 * (y! - x! * x!)],
    });
    const result = minimizeBfgs(rosenbrock, [-1.2, 1], { gradientTolerance: 1e-10 });
    assert.ok(result.converged, result.reason);
    assert.ok(Math.abs(result.x[0]! - 1) < 1e-6 && Math.abs(result.x[1]! - 1) < 1e-6, `${result.x}`);
  });

  it("solves a badly scaled quadratic exactly", () => {
    const scales = [1, 1e3, 1e-2];
    const quadratic = (x: readonly number[]) => ({
      value: x.reduce((s, v, i) => s + 0.5 * scales[i]! * (v - i) ** 2, 0),
      gradient: x.map((v, i) => scales[i]! * (v - i)),
    });
    const result = minimizeBfgs(quadratic, [5, 5, 5], { gradientTolerance: 1e-12 });
    assert.ok(result.converged);
    result.x.forEach((v, i) => assert.ok(Math.abs(v - i) < 1e-8, `x${i} = ${v}`));
  });

  it("stops within its iteration limit and says it did not converge", () => {
    const unbounded = (x: readonly number[]) => ({ value: -x[0]!, gradient: [-1] });
    const result = minimizeBfgs(unbounded, [0], { maxIterations: 25 });
    assert.equal(result.converged, false);
    assert.ok(result.iterations <= 25);
  });

  it("reports a start outside the domain instead of searching", () => {
    const result = minimizeBfgs(() => ({ value: Number.NaN, gradient: [Number.NaN] }), [1]);
    assert.equal(result.converged, false);
    assert.match(result.reason, /outside the domain/);
  });
});

describe("invertPositiveDefinite", () => {
  it("inverts a symmetric positive-definite matrix and refuses an indefinite one", () => {
    const m = [
      [4, 1, 0.5],
      [1, 3, 0.2],
      [0.5, 0.2, 2],
    ];
    const inv = invertPositiveDefinite(m)!;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const product = m[i]!.reduce((s, v, k) => s + v * inv[k]![j]!, 0);
        assert.ok(Math.abs(product - (i === j ? 1 : 0)) < 1e-14);
      }
    }
    assert.equal(invertPositiveDefinite([[1, 2], [2, 1]]), undefined);
  });
});
