import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tornado } from "../../src/core/sensitivity";

describe("tornado", () => {
  it("moves each input by ±step alone and sorts by swing, equal swings in the inputs' order", () => {
    // value = 10a + 2b − c = 10: each input moves it by ±1, so the swings tie and keep the inputs' order.
    const rows = tornado({ a: 1, b: 5, c: 10 }, ["a", "b", "c"], ({ a, b, c }) => 10 * a + 2 * b - c, 0.1);
    assert.deepEqual(rows.map((r) => r.input), ["a", "b", "c"]);
    assert.deepEqual(rows.map((r) => [Number(r.low.toFixed(12)), Number(r.high.toFixed(12))]), [[9, 11], [9, 11], [11, 9]]);
    // For a cost, the "low" output is the larger.
    assert.ok(rows[2]!.low > rows[2]!.high);
    const sorted = tornado({ a: 1, b: 50 }, ["a", "b"], ({ a, b }) => a + b, 0.2);
    assert.deepEqual(sorted.map((r) => r.input), ["b", "a"]);
  });

  it("gives every input its own rank when three swings are within a billionth of each other", () => {
    const rows = tornado({ x: 0.2, y: 0.2 * (1 + 6e-10), z: 0.2 * (1 + 1.2e-9) }, ["x", "y", "z"], (v) => v.x + v.y + v.z, 0.5);
    assert.deepEqual(rows.map((r) => r.input), ["x", "y", "z"]);
  });

  it("reads swings equal but for rounding as equal, so revenue keeps its place before margin", () => {
    // CLV ∝ revenue × margin: moving either by ±25% moves the CLV alike, up to rounding.
    const rows = tornado({ margin: 0.7, revenue: 30 }, ["revenue", "margin"], ({ revenue, margin }) => revenue * margin * 13.37, 0.25);
    assert.deepEqual(rows.map((r) => r.input), ["revenue", "margin"]);
  });
});
