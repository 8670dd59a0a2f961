import { OfficeMockObject } from "office-addin-mock";

/**
 * A small in-memory Excel object model for the Office.js applier: worksheets, ranges that
 * remember values, formulas and number formats, workbook and sheet names, charts and
 * freeze panes. `Excel.run` comes from office-addin-mock; `context.sync()` is counted and
 * can be made to fail, as Excel fails a batch that holds a bad command: commands queued
 * before it have taken effect.
 */
export interface FakeSheet {
  name: string;
  cells: Map<string, { value?: unknown; formula?: string; numberFormat?: string }>;
  names: Map<string, string>;
  charts: { type: string; title?: string; series: string[] }[];
  tables?: { range: string; name?: string; style?: string }[];
  frozenColumns: number;
}

export interface FakeExcel {
  sheets: FakeSheet[];
  workbookNames: Map<string, string>;
  syncs: number;
  active?: string;
  failSync?: number;
}

function* cellsOf(address: string): Generator<string> {
  const [start, end = start] = address.replace(/\$/g, "").split(":") as [string, string?];
  const parse = (a: string) => {
    const m = /^([A-Z]+)(\d+)$/.exec(a)!;
    let c = 0;
    for (const ch of m[1]!) c = c * 26 + ch.charCodeAt(0) - 64;
    return { r: Number(m[2]), c };
  };
  const letter = (c: number) => {
    let s = "";
    for (let n = c; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
    return s;
  };
  const a = parse(start);
  const b = parse(end!);
  for (let r = a.r; r <= b.r; r++) for (let c = a.c; c <= b.c; c++) yield `${letter(c)}${r}`;
}

export function installFakeExcel(sheetNames: string[] = ["Sheet1"]): FakeExcel {
  const state: FakeExcel = {
    sheets: sheetNames.map((name) => ({ name, cells: new Map([["A1", { value: `user data on ${name}` }]]), names: new Map(), charts: [], frozenColumns: 0 })),
    workbookNames: new Map(),
    syncs: 0,
  };
  const find = (name: string) => state.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  const rangeApi = (sheet: FakeSheet, address: string) => {
    const isColumn = /^[A-Z]+:[A-Z]+$/.test(address);
    const cells = isColumn ? [] : [...cellsOf(address)];
    const each = (grid: unknown[][], set: (cell: { value?: unknown; formula?: string; numberFormat?: string }, v: unknown) => void) => {
      grid.flat().forEach((v, i) => {
        const key = cells[i]!;
        const cell = sheet.cells.get(key) ?? {};
        set(cell, v);
        sheet.cells.set(key, cell);
      });
    };
    return {
      address: `${sheet.name}!${address}`,
      set values(grid: unknown[][]) {
        each(grid, (cell, v) => {
          cell.value = v;
          delete cell.formula;
        });
      },
      set formulas(grid: string[][]) {
        each(grid, (cell, v) => {
          cell.formula = String(v);
        });
      },
      set numberFormat(grid: string[][]) {
        each(grid, (cell, v) => {
          cell.numberFormat = String(v);
        });
      },
      format: { font: {}, fill: {}, columnWidth: 0 },
    };
  };
  const sheetApi = (sheet: FakeSheet) => ({
    get name() {
      return sheet.name;
    },
    set name(value: string) {
      if (find(value) && find(value) !== sheet) throw new Error(`a sheet named ${value} exists`);
      sheet.name = value;
    },
    getRange: (address: string) => rangeApi(sheet, address),
    names: { add: (name: string, range: { address: string }) => sheet.names.set(name, range.address) },
    charts: {
      add: (type: string) => {
        const chart = { type, series: [] as string[], title: undefined as string | undefined };
        sheet.charts.push(chart);
        return {
          title: {
            set text(t: string) {
              chart.title = t;
            },
          },
          series: {
            getItemAt: () => ({ set name(n: string) { chart.series.push(n); }, setXAxisValues: () => undefined }),
            add: (n: string) => {
              chart.series.push(n);
              return { setValues: () => undefined, setXAxisValues: () => undefined };
            },
          },
          setPosition: () => undefined,
        };
      },
    },
    tables: {
      add: (range: { address: string }) => {
        const table: { range: string; name?: string; style?: string } = { range: range.address };
        (sheet.tables ??= []).push(table);
        return table;
      },
    },
    freezePanes: { freezeColumns: (n: number) => void (sheet.frozenColumns = n), freezeRows: () => undefined },
    delete: () => {
      state.sheets = state.sheets.filter((s) => s !== sheet);
    },
    activate: () => void (state.active = sheet.name),
  });
  const workbook = {
    worksheets: {
      items: [] as { name: string }[],
      load() {
        this.items = state.sheets.map((s) => ({ name: s.name }));
      },
      add: (name: string) => {
        if (find(name)) throw new Error(`a sheet named ${name} exists`);
        const sheet: FakeSheet = { name, cells: new Map(), names: new Map(), charts: [], frozenColumns: 0 };
        state.sheets.push(sheet);
        return sheetApi(sheet);
      },
      getItem: (name: string) => sheetApi(find(name)!),
    },
    names: {
      items: [] as { name: string; formula: string }[],
      load() {
        this.items = [...state.workbookNames].map(([name, formula]) => ({ name, formula }));
      },
      add: (name: string, range: { address: string }) => state.workbookNames.set(name, `='${range.address.split("!")[0]}'!$A$1`),
      getItemOrNullObject: (name: string) => ({ delete: () => state.workbookNames.delete(name) }),
    },
  };
  const context = {
    workbook,
    sync: async () => {
      state.syncs++;
      if (state.failSync === state.syncs) throw new Error("InvalidArgument: The argument is invalid or missing or has an incorrect format.");
    },
  };
  (globalThis as Record<string, unknown>).Excel = new OfficeMockObject({
    run: async (callback: (c: typeof context) => Promise<unknown>) => callback(context),
  });
  return state;
}
