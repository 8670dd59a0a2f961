import type { Rect } from "./values";

/**
 * The dependency graph's two pieces of machinery: an index of the ranges formulas read
 * (which formulas read a given cell, or any cell of a rectangle), and the ordering of the
 * formulas to recompute, predecessors first, with the cycles among them found.
 */

/** A range registered in the index, kept to take it out again. */
export interface RangeEntry<T> {
  readonly rect: Rect;
  readonly node: T;
  readonly buckets: number[] | undefined;
}

const BUCKET_ROWS = 32;
const BUCKET_COLUMNS = 32;
/** A range over more buckets than this (whole columns, big blocks) is kept in a list searched in full. */
const MAX_BUCKETS = 256;
const bucketKey = (row: number, column: number) => row * 1024 + column;

const contains = (r: Rect, row: number, column: number) => row >= r.top && row <= r.bottom && column >= r.left && column <= r.right;
/** Whether two rectangles share a cell. */
export const intersects = (a: Rect, b: Rect) => a.top <= b.bottom && b.top <= a.bottom && a.left <= b.right && b.left <= a.right;

/** The ranges of one sheet that formulas read, by blocks of 32 × 32 cells. */
export class RangeIndex<T> {
  private readonly buckets = new Map<number, Set<RangeEntry<T>>>();
  private readonly large = new Set<RangeEntry<T>>();

  add(rect: Rect, node: T): RangeEntry<T> {
    const [top, bottom] = [Math.floor(rect.top / BUCKET_ROWS), Math.floor(rect.bottom / BUCKET_ROWS)];
    const [left, right] = [Math.floor(rect.left / BUCKET_COLUMNS), Math.floor(rect.right / BUCKET_COLUMNS)];
    if ((bottom - top + 1) * (right - left + 1) > MAX_BUCKETS) {
      const entry: RangeEntry<T> = { rect, node, buckets: undefined };
      this.large.add(entry);
      return entry;
    }
    const keys: number[] = [];
    for (let r = top; r <= bottom; r++) for (let c = left; c <= right; c++) keys.push(bucketKey(r, c));
    const entry: RangeEntry<T> = { rect, node, buckets: keys };
    for (const key of keys) {
      let bucket = this.buckets.get(key);
      if (!bucket) this.buckets.set(key, (bucket = new Set()));
      bucket.add(entry);
    }
    return entry;
  }

  remove(entry: RangeEntry<T>): void {
    if (!entry.buckets) {
      this.large.delete(entry);
      return;
    }
    for (const key of entry.buckets) {
      const bucket = this.buckets.get(key);
      bucket?.delete(entry);
      if (bucket?.size === 0) this.buckets.delete(key);
    }
  }

  /** Adds to `out` the node of every range that holds the cell. */
  containing(row: number, column: number, out: Set<T>): void {
    const bucket = this.buckets.get(bucketKey(Math.floor(row / BUCKET_ROWS), Math.floor(column / BUCKET_COLUMNS)));
    if (bucket) for (const e of bucket) if (contains(e.rect, row, column)) out.add(e.node);
    for (const e of this.large) if (contains(e.rect, row, column)) out.add(e.node);
  }

  /** Adds to `out` the node of every range that shares a cell with the rectangle. */
  intersecting(rect: Rect, out: Set<T>): void {
    for (let r = Math.floor(rect.top / BUCKET_ROWS); r <= Math.floor(rect.bottom / BUCKET_ROWS); r++) {
      for (let c = Math.floor(rect.left / BUCKET_COLUMNS); c <= Math.floor(rect.right / BUCKET_COLUMNS); c++) {
        const bucket = this.buckets.get(bucketKey(r, c));
        if (bucket) for (const e of bucket) if (intersects(e.rect, rect)) out.add(e.node);
      }
    }
    for (const e of this.large) if (intersects(e.rect, rect)) out.add(e.node);
  }
}

/**
 * Orders the nodes reachable from `seeds` through `dependents` so that each comes after
 * everything it depends on (Tarjan's strongly connected components, without recursion, so
 * a chain of any length is safe). Nodes on a cycle are returned in `cyclic`; `successors`
 * holds each node's dependents as they were found.
 */
export function recalculationOrder<T>(seeds: Iterable<T>, dependents: (node: T) => Iterable<T>): { order: T[]; cyclic: Set<T>; successors: Map<T, T[]> } {
  const index = new Map<T, number>();
  const low = new Map<T, number>();
  const successors = new Map<T, T[]>();
  const onStack = new Set<T>();
  const stack: T[] = [];
  const components: T[][] = [];
  const cyclic = new Set<T>();
  let counter = 0;
  const successorsOf = (node: T) => {
    let list = successors.get(node);
    if (!list) successors.set(node, (list = [...dependents(node)]));
    return list;
  };
  for (const seed of seeds) {
    if (index.has(seed)) continue;
    const frames: { node: T; next: number }[] = [{ node: seed, next: 0 }];
    index.set(seed, counter);
    low.set(seed, counter++);
    stack.push(seed);
    onStack.add(seed);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const list = successorsOf(frame.node);
      if (frame.next < list.length) {
        const next = list[frame.next++]!;
        if (!index.has(next)) {
          index.set(next, counter);
          low.set(next, counter++);
          stack.push(next);
          onStack.add(next);
          frames.push({ node: next, next: 0 });
        } else if (onStack.has(next)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(next)!));
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: T[] = [];
        let member: T;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        if (component.length > 1 || successorsOf(frame.node).includes(frame.node)) for (const m of component) cyclic.add(m);
        components.push(component);
      }
    }
  }
  // Tarjan finds a component after every component it reaches: reversed, dependencies come first.
  const order: T[] = [];
  for (let i = components.length - 1; i >= 0; i--) order.push(...components[i]!);
  return { order, cyclic, successors };
}
