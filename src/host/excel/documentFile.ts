/**
 * The open workbook as .xlsx bytes, through Office.js's Document.getFileAsync, for the
 * portable copy. What this relies on (Office.js reference, Document.getFileAsync, File,
 * Slice, GetFileOptions; @types/office-js carries the same text):
 * - `Office.FileType.Compressed` returns "the entire document (.pptx, .docx, .xlsx, or .xlsm)
 *   in Office Open XML (OOXML) format as a byte array", cut in slices read one by one with
 *   File.getSliceAsync; each slice's `data` is that byte array (an array of numbers).
 * - Requirement set CompressedFile (and File, for the slices). The reference's table of file
 *   types by platform lists Compressed for Excel on Windows and Mac; it lists Pdf only for
 *   Excel on the web, although Compressed is reported to work there (OfficeDev/office-js
 *   #5473, 2025) and Excel on the web answers isSetSupported("CompressedFile"). We ask
 *   isSetSupported first and otherwise call and report Excel's own error, so an Excel
 *   that refuses says so rather than failing silently; Excel on iPad has no Compressed.
 * - Slices are at most 4,194,304 bytes (4 MB, the default), 64 KB on iPad; a larger slice size
 *   fails with "Internal Error". We ask for 4 MB: the fewest round trips.
 * - "No more than two documents are allowed to be in memory; otherwise the
 *   Document.getFileAsync operation will fail": the file is closed (File.closeAsync) on every
 *   path, read or failed.
 * - The file holds each formula with its last value, which the portable copy keeps. The
 *   reference does not say whether edits not yet saved are in it, so the pane asks the user
 *   to save first (README: sharing a workbook).
 */

/** The largest slice Office.js hands over outside iPad, and its default. */
export const MAX_SLICE_SIZE = 4_194_304;

const failed = (what: string, error: Office.Error | undefined) => new Error(`Excel could not ${what}${error?.message ? `: ${error.message}` : ""}.`);

/** The workbook's bytes, read slice by slice, the file closed afterwards whatever happens. */
export function readDocumentFile({ sliceSize = MAX_SLICE_SIZE }: { sliceSize?: number } = {}): Promise<Uint8Array> {
  if (!Office.context.requirements.isSetSupported("CompressedFile")) {
    return Promise.reject(new Error("This Excel cannot hand the add-in a copy of the workbook (it lacks the CompressedFile requirement set, as Excel on iPad does). Save a copy from Excel's File menu and replace the Lifetime formulas with their values there."));
  }
  return new Promise<Uint8Array>((resolve, reject) => {
    Office.context.document.getFileAsync(Office.FileType.Compressed, { sliceSize }, (result) => {
      if (result.status !== Office.AsyncResultStatus.Succeeded) {
        reject(failed("hand over a copy of the workbook", result.error));
        return;
      }
      const file = result.value;
      const slices: Uint8Array[] = [];
      const finish = (outcome: () => void) => file.closeAsync(() => outcome());
      const next = (index: number) => {
        if (index >= file.sliceCount) {
          const bytes = join(slices);
          if (bytes.length !== file.size) finish(() => reject(new Error(`Excel handed over ${bytes.length} bytes of a ${file.size}-byte workbook.`)));
          else finish(() => resolve(bytes));
          return;
        }
        file.getSliceAsync(index, (slice) => {
          if (slice.status !== Office.AsyncResultStatus.Succeeded) {
            finish(() => reject(failed(`read part ${index + 1} of ${file.sliceCount} of the workbook`, slice.error)));
            return;
          }
          slices.push(toBytes(slice.value.data));
          next(index + 1);
        });
      };
      next(0);
    });
  });
}

/** A slice's data: an array of byte values (as documented), or already bytes. */
function toBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data)) return Uint8Array.from(data as number[]);
  throw new Error("Excel handed over a part of the workbook in a form Lifetime does not know.");
}

function join(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
