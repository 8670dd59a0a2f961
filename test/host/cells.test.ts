import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { batches, CellSet, jsonBytes, parseRange, planFootprint, rectAddress, splitRects, writePieces } from "../../src/host/cells";
import { cellAddress, parseAddress, writeFormulas, writeSize, type SheetPlan } from "../../src/models/plan";

/** Cell sets and request pieces, checked against cell-by-cell brute force. */
const rect = fc.record({ top: fc.integer({ min: 1, max: 12 }), left: fc.integer({ min: 1, max: 12 }), h: fc.integer({ min: 0, max: 5 }), w: fc.integer({ min: 0, max: 5 }) }).map((r) => ({ top: r.top, left: r.left, bottom: r.top + r.h, right: r.left + r.w }));
const cellsOf = (ranges: string[]) => {
  const cells = new Set<string>();
  for (const range of ranges) {
    const r = parseRange(range);
    for (let row = r.top; row <= r.bottom; row++) for (let c = r.left; c <= r.right; c++) cells.add(cellAddress(row, c));
  }
  return cells;
};

describe("cell sets", () => {
  it("cover exactly their cells, as disjoint rectangles, through union and difference", () => {
    fc.assert(
      fc.property(fc.array(rect, { maxLength: 6 }), fc.array(rect, { maxLength: 6 }), (a, b) => {
        const A = CellSet.of(a.map(rectAddress));
        const B = CellSet.of(b.map(rectAddress));
        const ca = cellsOf(a.map(rectAddress));
        const cb = cellsOf(b.map(rectAddress));
        const minus = A.minus(B).ranges();
        const union = A.union(B).ranges();
        assert.deepEqual([...cellsOf(minus)].sort(), [...ca].filter((c) => !cb.has(c)).sort());
        assert.deepEqual([...cellsOf(union)].sort(), [...new Set([...ca, ...cb])].sort());
        const total = union.reduce((n, r) => n + cellsOf([r]).size, 0);
        assert.equal(total, new Set([...ca, ...cb]).size); // no rectangle overlaps another
      }),
    );
  });

  it("read whole columns and rows as Excel writes them", () => {
    assert.deepEqual(parseRange("$A:$D"), { top: 1, bottom: 1_048_576, left: 1, right: 4 });
    assert.deepEqual(parseRange("3:5"), { top: 3, bottom: 5, left: 1, right: 16_384 });
    assert.deepEqual(parseRange("C9:B4"), { top: 4, bottom: 9, left: 2, right: 3 });
  });

  it("split into pieces of at most the given number of cells, covering the same cells", () => {
    const pieces = splitRects([parseRange("A1:J100"), parseRange("B200:ZZ200")], 250);
    assert.ok(pieces.every((p) => (p.bottom - p.top + 1) * (p.right - p.left + 1) <= 250));
    assert.deepEqual(cellsOf(pieces.map(rectAddress)), cellsOf(["A1:J100", "B200:ZZ200"]));
  });
});

describe("write pieces", () => {
  const sheet: SheetPlan = {
    name: "S",
    names: [],
    charts: [],
    writes: [
      { at: "A1", values: [["title", null, 3]], style: { bold: true } },
      { at: "B3", fill: { formula: '=IF(A3="x",B$2*$A3,0)', rows: 40, columns: 300 }, numberFormat: "#,##0.00" },
      { at: "A50", values: [["=not a formula"], ["ünïcödé"]], text: true },
    ],
  };

  it("stay under the budget and put every cell of the plan where the plan puts it", () => {
    const budget = 20_000;
    const pieces = writePieces(sheet, budget);
    assert.ok(pieces.length > 10);
    for (const p of pieces) assert.ok(p.bytes <= budget && jsonBytes(p.contents) < budget, `${p.range}: ${p.bytes}`);
    const written = new Map<string, unknown>();
    for (const p of pieces) {
      const r = parseRange(p.range);
      p.contents.forEach((row, i) => row.forEach((v, j) => written.set(cellAddress(r.top + i, r.left + j), v)));
    }
    const expected = new Map<string, unknown>();
    for (const w of sheet.writes) {
      const grid = writeFormulas(w) ?? w.values!;
      const { row, column } = parseAddress(w.at);
      grid.forEach((r, i) => r.forEach((v, j) => expected.set(cellAddress(row + i, column + j), v ?? "")));
    }
    assert.deepEqual(written, expected);
    assert.equal(written.get("C4"), '=IF(B4="x",C$2*$A4,0)');
    assert.deepEqual(cellsOf(planFootprint(sheet)), new Set(expected.keys()));
    const { rows, columns } = writeSize(sheet.writes[1]!);
    assert.equal(rows * columns, 12_000);
  });

  it("group into batches under the budget", () => {
    const groups = batches([5, 5, 9, 1, 12, 3].map((bytes) => ({ bytes })), 10);
    assert.deepEqual(groups.map((g) => g.map((i) => i.bytes)), [[5, 5], [9, 1], [12], [3]]);
  });
});
