import { readFileSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";

/**
 * A stand-in for the custom-functions runtime that Excel provides: `associate` records
 * each id, and `Error` behaves as the runtime's (a code and an optional message).
 */
export class CustomFunctionError extends Error {
  readonly code: string;
  constructor(code: string, message?: string) {
    super(message ?? "");
    this.code = code;
  }
}

export const ErrorCode = {
  invalidValue: "#VALUE!",
  notAvailable: "#N/A",
  divisionByZero: "#DIV/0!",
  invalidNumber: "#NUM!",
  nullReference: "#NULL!",
  invalidName: "#NAME?",
  invalidReference: "#REF!",
} as const;

export type Registered = Map<string, (...args: unknown[]) => unknown>;

export function customFunctionsStub(registered: Registered) {
  return {
    associate(idOrMap: string | Record<string, (...args: unknown[]) => unknown>, fn?: (...args: unknown[]) => unknown) {
      if (typeof idOrMap === "string") registered.set(idOrMap, fn as (...args: unknown[]) => unknown);
      else for (const [id, f] of Object.entries(idOrMap)) registered.set(id, f);
    },
    Error: CustomFunctionError,
    ErrorCode,
  };
}

/** Makes the stub a global, for tests that import src/functions directly. */
export function installCustomFunctionsGlobal(): Registered {
  const registered: Registered = new Map();
  (globalThis as Record<string, unknown>).CustomFunctions = customFunctionsStub(registered);
  return registered;
}

export const DIST = path.resolve(__dirname, "../../dist");

/**
 * Loads the built dist/functions.js as Excel does: a script in a fresh context whose only
 * Office global is CustomFunctions. Returns the functions by the ids they registered.
 * `prelude`, when given, runs in the context first (to take a global away, or watch one);
 * `context` receives the context's global object.
 */
export function loadBuiltFunctions(prelude?: string, context?: (sandbox: Record<string, unknown>) => void): Registered {
  const source = readFileSync(path.join(DIST, "functions.js"), "utf8");
  const registered: Registered = new Map();
  const sandbox: Record<string, unknown> = { CustomFunctions: customFunctionsStub(registered), console };
  sandbox.self = sandbox;
  sandbox.window = sandbox;
  vm.createContext(sandbox);
  if (prelude) vm.runInContext(prelude, sandbox, { filename: "prelude.js" });
  vm.runInContext(source, sandbox, { filename: "functions.js" });
  context?.(sandbox);
  return registered;
}

/**
 * Loads the built bundle into this realm, with the stub as the global CustomFunctions, for
 * timing. A vm context reaches every global (Math, Number, Array) through interceptors on
 * its sandbox object, which makes code there several times slower than in Excel's runtime,
 * whose globals are ordinary.
 */
export function loadBuiltFunctionsForTiming(): Registered {
  const registered: Registered = new Map();
  (globalThis as Record<string, unknown>).CustomFunctions = customFunctionsStub(registered);
  vm.runInThisContext(readFileSync(path.join(DIST, "functions.js"), "utf8"), { filename: "functions.js" });
  return registered;
}

/** Calls a registered function and returns its number, or the Excel error it raised. */
export function call(registered: Registered, id: string, ...args: unknown[]): unknown {
  const fn = registered.get(id);
  if (!fn) throw new Error(`no function registered as ${id}`);
  try {
    return fn(...args);
  } catch (error) {
    return error;
  }
}
