/**
 * Office.context.document.getFileAsync and the File it hands over, for the tests of
 * src/host/excel/documentFile.ts, kept as the Office.js reference describes them
 * (Document.getFileAsync, File, Slice, GetFileOptions; @types/office-js has the same text):
 * - getFileAsync(fileType, [options], [callback]); `Office.FileType.Compressed` ("compressed")
 *   gives the .xlsx bytes; Excel gives Pdf too, which this fake does not make (it fails), and
 *   Excel has no Text.
 * - `sliceSize` defaults to, and may not exceed, 4,194,304 bytes: a larger one fails with
 *   "Internal Error" ("specifying file slice size of above permitted limit will result in an
 *   'Internal Error' failure").
 * - "No more than two documents are allowed to be in memory; otherwise the
 *   Document.getFileAsync operation will fail": a third open file fails until one is closed.
 * - File: `size`, `sliceCount`, getSliceAsync(index, callback) → Slice { data, index, size },
 *   `data` "a byte array" (an array of numbers, as Office.js gives it); closeAsync(callback).
 *   A closed file's slices fail.
 * - Every callback is called later, never during the call, with an AsyncResult:
 *   { status: "succeeded" | "failed", value, error: { name, message, code } }.
 * The error codes are Office's common API codes as far as the reference names them; tests
 * match the messages, not the codes.
 */
export interface FakeDocumentFile {
  /** The workbook's bytes as Excel would hand them over; undefined makes getFileAsync fail. */
  bytes?: Uint8Array;
  /** Office.context.document.url. */
  url: string | null;
  /** Files handed over and not yet closed. */
  open: number;
  /** Every getFileAsync call's slice size, and each slice index asked for. */
  calls: { sliceSize: number; slices: number[] }[];
  /** Makes the slice of this index fail (a network problem, say). */
  failSlice?: number;
}

const MAX_SLICE = 4_194_304;
const states = new WeakMap<object, FakeDocumentFile>();

/** The document file state of an installed fake Excel (made on first use). */
export function documentFileOf(fake: object): FakeDocumentFile {
  let state = states.get(fake);
  if (!state) states.set(fake, (state = { url: null, open: 0, calls: [] }));
  return state;
}

type Callback = (result: unknown) => void;
const later = (callback: Callback | undefined, result: unknown) => setTimeout(() => callback?.(result), 0);
const succeeded = (value: unknown) => ({ status: "succeeded", value, error: undefined });
const failed = (code: number, name: string, message: string) => ({ status: "failed", value: undefined, error: { code, name, message } });

/** The members the fake adds to Office.context.document: getFileAsync and url. */
export function documentFileMembers(fake: object): { getFileAsync: (...args: unknown[]) => void; readonly url: string | null } {
  return {
    get url() {
      return documentFileOf(fake).url;
    },
    getFileAsync(...args: unknown[]) {
      const state = documentFileOf(fake);
      const [fileType] = args;
      const options = (typeof args[1] === "object" && args[1] !== null ? args[1] : {}) as { sliceSize?: number };
      const callback = args.find((a): a is Callback => typeof a === "function");
      const sliceSize = options.sliceSize ?? MAX_SLICE;
      if (fileType !== "compressed") return later(callback, failed(11000, "Invalid Format", `fake Excel: only Office.FileType.Compressed is modelled, not ${String(fileType)}`));
      if (!Number.isInteger(sliceSize) || sliceSize <= 0 || sliceSize > MAX_SLICE) return later(callback, failed(5001, "Internal Error", "An internal error has occurred."));
      if (state.open >= 2) return later(callback, failed(5001, "Internal Error", "No more than two documents are allowed to be in memory."));
      if (!state.bytes) return later(callback, failed(11001, "Network Error", "A network problem has prevented retrieval of the file."));
      const bytes = state.bytes.slice();
      const call = { sliceSize, slices: [] as number[] };
      state.calls.push(call);
      state.open++;
      let closed = false;
      const sliceCount = Math.max(1, Math.ceil(bytes.length / sliceSize));
      const file = {
        size: bytes.length,
        sliceCount,
        getSliceAsync(index: number, done?: Callback) {
          call.slices.push(index);
          if (closed) return later(done, failed(5001, "Internal Error", "The file is closed."));
          if (!Number.isInteger(index) || index < 0 || index >= sliceCount) return later(done, failed(5001, "Internal Error", `There is no slice ${index}.`));
          if (index === state.failSlice) return later(done, failed(11001, "Network Error", "A network problem has prevented retrieval of the file."));
          const data = Array.from(bytes.subarray(index * sliceSize, (index + 1) * sliceSize));
          later(done, succeeded({ data, index, size: data.length }));
        },
        closeAsync(done?: Callback) {
          if (!closed) {
            closed = true;
            state.open--;
          }
          later(done, succeeded(undefined));
        },
      };
      later(callback, succeeded(file));
    },
  };
}
