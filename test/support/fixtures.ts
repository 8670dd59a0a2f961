import { readFileSync } from "node:fs";
import path from "node:path";

/** Files in test/fixtures (see its README for where each comes from). */
export const FIXTURES = path.resolve(__dirname, "../fixtures");

/** A CSV with a header row, as columns of numbers keyed by header. */
export function readCsvColumns(file: string): Record<string, number[]> {
  const lines = readFileSync(path.join(FIXTURES, file), "utf8").trim().split(/\r?\n/);
  const header = lines[0]!.split(",").map((h) => h.trim());
  const columns: Record<string, number[]> = Object.fromEntries(header.map((h) => [h, [] as number[]]));
  for (const line of lines.slice(1)) line.split(",").forEach((v, i) => columns[header[i]!]!.push(Number(v)));
  return columns;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON document read for tests
export const reference: any = JSON.parse(readFileSync(path.join(FIXTURES, "reference_models.json"), "utf8"));

export const relativeError = (actual: number, expected: number) =>
  actual === expected ? 0 : Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);

/** Central-difference gradient of f at x (relative step h), for checking analytic gradients. */
export function numericalGradient(f: (x: number[]) => number, x: readonly number[], h = 1e-6): number[] {
  return x.map((_, j) => {
    const step = h * Math.max(Math.abs(x[j]!), 1e-3);
    const up = f(x.map((v, i) => (i === j ? v + step : v)));
    const down = f(x.map((v, i) => (i === j ? v - step : v)));
    return (up - down) / (2 * step);
  });
}

/** Central differences of an analytic gradient (relative step h): the Hessian to check an analytic one against. */
export function numericalHessian(gradient: (x: number[]) => number[], x: readonly number[], h = 1e-5): number[][] {
  const columns = x.map((_, j) => {
    const step = h * Math.max(Math.abs(x[j]!), 1e-3);
    const up = gradient(x.map((v, i) => (i === j ? v + step : v)));
    const down = gradient(x.map((v, i) => (i === j ? v - step : v)));
    return up.map((u, k) => (u - down[k]!) / (2 * step));
  });
  return x.map((_, k) => x.map((_, j) => columns[j]![k]!));
}
