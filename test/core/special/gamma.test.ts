import assert from "node:assert/strict";
import { describe, it } from "node:test";
import trigammaStdlib from "@stdlib/math-base-special-trigamma";
import { trigamma } from "../../../src/core/special/gamma";
import { relativeError } from "../../support/fixtures";

describe("trigamma", () => {
  it("gives the closed forms: ψ′(1) = π²/6, ψ′(1/2) = π²/2, ψ′(2) = π²/6 − 1, ψ′(1/4) = π² + 8G", () => {
    const catalan = 0.915965594177219;
    assert.ok(relativeError(trigamma(1), Math.PI ** 2 / 6) < 2e-15);
    assert.ok(relativeError(trigamma(0.5), Math.PI ** 2 / 2) < 2e-15);
    assert.ok(relativeError(trigamma(2), Math.PI ** 2 / 6 - 1) < 2e-15);
    assert.ok(relativeError(trigamma(0.25), Math.PI ** 2 + 8 * catalan) < 2e-15);
  });

  it("agrees with stdlib's (Boost's) trigamma from 1e-8 to 1e8", () => {
    let worst = 0;
    for (let e = -8; e <= 8; e += 0.01) {
      const x = 10 ** e;
      worst = Math.max(worst, relativeError(trigamma(x), trigammaStdlib(x)));
    }
    assert.ok(worst < 1e-14, `worst relative difference ${worst}`);
  });

  it("is infinite at 0 and not a number below", () => {
    assert.equal(trigamma(0), Number.POSITIVE_INFINITY);
    assert.ok(Number.isNaN(trigamma(-1)));
  });
});
