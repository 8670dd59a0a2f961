import { closeSync, createReadStream, existsSync, openSync, readSync, statSync } from "node:fs";
import { createInterface } from "node:readline";

/** What a cohort model takes: the same limits the model's schema sets, checked while reading. */
export const MAX_COHORTS = 600;
export const MAX_PERIOD_COLUMNS = 600;
/** The longest record read: a label of 255 characters and 600 counts of 30 characters fit many times over. */
export const MAX_RECORD_CHARS = 256 * 1024;

export class InputError extends Error {}

/**
 * Reads a cohort CSV as a stream, in bounded memory whatever the file's size: the header
 * and at most MAX_COHORTS records are kept, and reading stops at the first record beyond
 * them, a header with more than MAX_PERIOD_COLUMNS periods, or a record longer than
 * MAX_RECORD_CHARS, each refused in one sentence. A record ends at a line break outside
 * double quotes (a quoted label may hold one). Returns the text of what was read.
 */
export async function readCohortInput(input: string): Promise<string> {
  if (!existsSync(input)) throw new InputError(`cannot read ${input}: no such file`);
  const stat = statSync(input);
  if (stat.isDirectory()) throw new InputError(`cannot read ${input}: it is a folder, not a CSV file`);
  const head = Buffer.alloc(4);
  const fd = openSync(input, "r");
  const got = readSync(fd, head, 0, 4, 0);
  closeSync(fd);
  if (got >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
    throw new InputError(`${input} is encoded as UTF-16; save it as CSV in UTF-8 (comma-separated)`);
  }

  const stream = createReadStream(input, { encoding: "utf8", highWaterMark: 64 * 1024 });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  const records: string[] = [];
  let pending = "";
  let quoted = false;
  let lineNumber = 0;
  let cohorts = 0;
  try {
    for await (const line of lines) {
      lineNumber++;
      if (line.length > MAX_RECORD_CHARS || pending.length + line.length > MAX_RECORD_CHARS) {
        throw new InputError(`line ${lineNumber} of ${input} is longer than ${MAX_RECORD_CHARS.toLocaleString("en-US")} characters; a row of a cohort table is a label and at most ${MAX_PERIOD_COLUMNS} counts`);
      }
      pending = pending === "" && !quoted ? line : `${pending}\n${line}`;
      for (const ch of line) if (ch === '"') quoted = !quoted;
      if (quoted) continue; // a line break inside a quoted field
      const record = pending;
      pending = "";
      if (record.trim() === "" || /^[,\s]*$/.test(record)) continue;
      if (records.length === 0) {
        const fields = record.split(",").length;
        if (record.includes(";") && !record.includes(",")) throw new InputError(`${input} is separated by semicolons; the cohort table must be comma-separated (cohort,customers,1,2,…)`);
        if (fields - 2 > MAX_PERIOD_COLUMNS) throw new InputError(`${input} has ${fields - 2} period columns; a cohort model takes at most ${MAX_PERIOD_COLUMNS}`);
      } else if (++cohorts > MAX_COHORTS) {
        throw new InputError(`${input} has more than ${MAX_COHORTS} cohorts (line ${lineNumber} is cohort ${cohorts}); a cohort model takes at most ${MAX_COHORTS}: give the latest cohorts, or group them (by quarter, say)`);
      }
      records.push(record);
    }
  } finally {
    lines.close();
    stream.destroy();
  }
  if (quoted) records.push(pending); // an unclosed quote: the parser says where
  return records.join("\n");
}
