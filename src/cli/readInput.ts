import { closeSync, createReadStream, existsSync, openSync, readSync, statSync } from "node:fs";

/** What a cohort model takes: the same limits the model's schema sets, checked while reading. */
export const MAX_COHORTS = 600;
export const MAX_PERIOD_COLUMNS = 600;
/** The longest record read: a label of 255 characters and 600 counts of 30 characters fit many times over. */
export const MAX_RECORD_CHARS = 256 * 1024;

export class InputError extends Error {}

/** The most text kept: a table of 600 cohorts × 600 periods is under 3 MB. */
export const MAX_KEPT_CHARS = 20 * 1024 * 1024;

/**
 * Reads a cohort CSV as a stream, in bounded memory whatever the file's size: the header
 * and at most MAX_COHORTS records are kept, and reading stops at the first record beyond
 * them, a header with more than MAX_PERIOD_COLUMNS periods, a record longer than
 * MAX_RECORD_CHARS, or more than MAX_KEPT_CHARS kept, each refused in one sentence. Records
 * are split as the CSV parser splits them: a field that starts with a double quote runs to
 * the closing one ("" inside it is a quote) and may hold line breaks; a quote elsewhere is
 * a character. Returns the text of what was kept.
 */
/** Another table read the same way (the partners table): what its rows are, and its limits. */
export interface TableLimits {
  what: string;
  maxRecords: number;
  maxColumns: number;
}

export async function readCohortInput(input: string, table?: TableLimits): Promise<string> {
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

  const records: string[] = [];
  let kept = 0;
  let cohorts = 0;
  let line = 1; // the line the current record started on, for messages
  let lines = 1;
  const finish = (record: string) => {
    const text = record.endsWith("\r") ? record.slice(0, -1) : record;
    const startedOn = line;
    line = lines;
    if (/^[,\s]*$/.test(text)) return;
    if (records.length === 0 && table) {
      if (text.includes(";") && !text.includes(",")) throw new InputError(`${input} is separated by semicolons; the ${table.what} table must be comma-separated`);
      if (text.split(",").length > table.maxColumns) throw new InputError(`${input} has ${text.split(",").length} columns; a ${table.what} table has at most ${table.maxColumns}`);
    } else if (table) {
      if (++cohorts > table.maxRecords) throw new InputError(`${input} has more than ${table.maxRecords} ${table.what}s (line ${startedOn} is ${table.what} ${cohorts}); a ${table.what} model takes at most ${table.maxRecords}`);
    } else if (records.length === 0) {
      if (text.includes(";") && !text.includes(",")) throw new InputError(`${input} is separated by semicolons; the cohort table must be comma-separated (cohort,customers,1,2,…)`);
      const fields = text.split(",").length;
      if (fields - 2 > MAX_PERIOD_COLUMNS) throw new InputError(`${input} has ${fields - 2} period columns; a cohort model takes at most ${MAX_PERIOD_COLUMNS}`);
    } else if (++cohorts > MAX_COHORTS) {
      throw new InputError(`${input} has more than ${MAX_COHORTS} cohorts (line ${startedOn} is cohort ${cohorts}); a cohort model takes at most ${MAX_COHORTS}: give the latest cohorts, or group them (by quarter, say)`);
    }
    kept += text.length;
    if (kept > MAX_KEPT_CHARS) throw new InputError(`${input} holds more than ${MAX_KEPT_CHARS / 1024 / 1024} MB of text before its ${cohorts}th cohort; a cohort table of ${MAX_COHORTS} cohorts × ${MAX_PERIOD_COLUMNS} periods is a few MB`);
    records.push(text);
  };

  const stream = createReadStream(input, { encoding: "utf8", highWaterMark: 64 * 1024 });
  let record = "";
  let quoted = false;
  let closing = false; // a quote seen inside a quoted field: the end of it, or the first of ""
  let fieldStart = true;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      let from = 0;
      for (let i = 0; i < chunk.length; i++) {
        if (record.length + (i - from) > MAX_RECORD_CHARS) {
          throw new InputError(`line ${line} of ${input} is longer than ${MAX_RECORD_CHARS.toLocaleString("en-US")} characters; a row of a cohort table is a label and at most ${MAX_PERIOD_COLUMNS} counts`);
        }
        const ch = chunk.charCodeAt(i);
        if (quoted) {
          if (closing) {
            closing = false;
            if (ch === 34) continue; // "" is a quote
            quoted = false; // the field's closing quote; this character is read as outside it
          } else {
            if (ch === 34) closing = true;
            else if (ch === 10) lines++;
            continue;
          }
        }
        if (ch === 34 && fieldStart) {
          quoted = true;
          fieldStart = false;
        } else if (ch === 44) {
          fieldStart = true;
        } else if (ch === 10) {
          lines++;
          const text = record + chunk.slice(from, i);
          record = "";
          from = i + 1;
          fieldStart = true;
          finish(text);
          continue;
        } else if (ch !== 13) {
          fieldStart = false;
        }
      }
      record += chunk.slice(from);
    }
  } finally {
    stream.destroy();
  }
  if (record !== "") finish(record); // the last record, without a final line break (an unclosed quote: the parser says where)
  return records.join("\n");
}
