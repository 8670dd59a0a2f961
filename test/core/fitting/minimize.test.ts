import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { invertPositiveDefinite, minimizeBfgs, minimizeNewton } from "../../../src/core/fitting/minimize";

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

describe("minimizeNewton", () => {
  const rosenbrock = ([x, y]: readonly number[]) => ({
    value: (1 - x!) ** 2 + 100 * (y! - x! * x!) ** 2,
    gradient: [-2 * (1 - x!) - 400 * x! * (y! - x! * x!), 200 * (y! - x! * x!)],
    hessian: [
      [2 - 400 * (y! - 3 * x! * x!), -400 * x!],
      [-400 * x!, 200],
    ],
  });

  it("finds the minimum of Rosenbrock's function, through regions where the Hessian is indefinite", () => {
    // At (−1.2, 1) the Hessian is positive definite; on the way, near (0, 0.5), it is not: the shift handles both.
    for (const start of [[-1.2, 1], [0, 0.5], [2, -1]]) {
      const result = minimizeNewton(rosenbrock, start, { gradientTolerance: 1e-10 });
      assert.ok(result.converged, result.reason);
      assert.ok(Math.abs(result.x[0]! - 1) < 1e-8 && Math.abs(result.x[1]! - 1) < 1e-8, `${result.x} from ${start}`);
    }
  });

  it("solves a quadratic in one step", () => {
    const quadratic = (x: readonly number[]) => ({
      value: 0.5 * (x[0]! ** 2 + 10 * x[1]! ** 2) - x[0]!,
      gradient: [x[0]! - 1, 10 * x[1]!],
      hessian: [
        [1, 0],
        [0, 10],
      ],
    });
    const result = minimizeNewton(quadratic, [1.5, 0.2], { gradientTolerance: 1e-12 });
    assert.ok(result.converged);
    assert.equal(result.iterations, 1);
    assert.ok(Math.abs(result.x[0]! - 1) < 1e-12 && Math.abs(result.x[1]!) < 1e-12);
  });

  it("takes the step to the minimum where the value there is higher only in its last digits", () => {
    // The value at the exact minimum x = 1 comes out 1e-14 high, as a long sum's rounding can make
    // it; the gradient is exact. The Armijo test alone refuses that step and halves its way down.
    const rounded = (x: readonly number[]) => ({
      value: 1 + 0.5 * (x[0]! - 1) ** 2 + (x[0] === 1 ? 1e-14 : 0),
      gradient: [x[0]! - 1],
      hessian: [[1]],
    });
    const result = minimizeNewton(rounded, [1 + 1e-7], { gradientTolerance: 1e-12 });
    assert.ok(result.converged, result.reason);
    assert.equal(result.x[0], 1);
    assert.equal(result.iterations, 1);
    assert.equal(result.evaluations, 2);
  });

  it("polishes a converged point while full steps still shrink the gradient, and only then", () => {
    // e^x − 2x, minimum at ln 2. With a loose tolerance Newton stops early; polishing goes on to the last digits.
    const f = (x: readonly number[]) => ({ value: Math.exp(x[0]!) - 2 * x[0]!, gradient: [Math.exp(x[0]!) - 2], hessian: [[Math.exp(x[0]!)]] });
    const loose = minimizeNewton(f, [1], { gradientTolerance: 1e-3 });
    const polished = minimizeNewton(f, [1], { gradientTolerance: 1e-3, polishTolerance: 1e-15 });
    assert.ok(loose.converged && polished.converged);
    assert.ok(Math.abs(loose.x[0]! - Math.LN2) > 1e-9, `the loose fit stops early: ${loose.x[0]}`);
    assert.ok(Math.abs(polished.x[0]! - Math.LN2) < 1e-15, `${polished.x[0]}`);
    // A gradient that cannot shrink (rounding noise at the minimum) ends the polishing, still converged.
    const noisy = (x: readonly number[]) => ({ value: (x[0]! - 3) ** 2, gradient: [2 * (x[0]! - 3) + 1e-9], hessian: [[2]] });
    const stalled = minimizeNewton(noisy, [4], { gradientTolerance: 1e-8, polishTolerance: 1e-15 });
    assert.ok(stalled.converged, stalled.reason);
    assert.ok(stalled.evaluations <= 4, `${stalled.evaluations} evaluations`);
  });

  it("hands a function without a minimum over to BFGS, which stops within the iteration limit", () => {
    const unbounded = (x: readonly number[]) => ({ value: -x[0]!, gradient: [-1], hessian: [[0]] });
    const result = minimizeNewton(unbounded, [0], { maxIterations: 40 });
    assert.equal(result.converged, false);
    assert.ok(result.iterations <= 40);
  });

  it("reports a start outside the domain instead of searching", () => {
    const result = minimizeNewton(() => ({ value: Number.NaN, gradient: [Number.NaN], hessian: [[Number.NaN]] }), [1]);
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
