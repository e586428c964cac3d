import { finished, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { parse } from 'csv-parse';
import type { TSchema } from 'typebox';

/**
 * One line of an uploaded file: a data row, why it could not be read, or a line that holds no
 * row (a CSV header, a blank line), which is read but writes nothing. `line` is the file's
 * line number, from 1 (a CSV header is line 1): the one numbering of the job's progress.
 */
export type SourceRow =
  | { line: number; value: Record<string, unknown> }
  | { line: number; error: { code: string; reason: string } }
  | { line: number; empty: true };

/** A file that cannot be imported at all (a CSV header naming unknown columns). */
export class ImportFileError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** The upload itself broke off (client gone, connection reset, request timeout). */
export class UploadInterruptedError extends Error {
  constructor(cause: unknown) {
    super(
      `The upload ended before it was complete (${cause instanceof Error ? cause.message : String(cause)}).`,
      {
        cause,
      },
    );
  }
}

/** No single row may hold more than this: bounds what one line can make the server buffer. */
export const MAX_LINE_BYTES = 1024 * 1024;

async function* wrapInterruptions<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<T>;
    try {
      next = await iterator.next();
    } catch (error) {
      throw new UploadInterruptedError(error);
    }
    if (next.done) return;
    yield next.value;
  }
}

/**
 * Lines of a stream, pulled chunk by chunk (backpressure holds the client while rows are
 * written). A line longer than MAX_LINE_BYTES is dropped and reported, not buffered. Stopping
 * early leaves the stream open, so the caller can drain it and still answer the request.
 */
async function* linesOf(stream: Readable): AsyncGenerator<{ line: number; text: string | null }> {
  const decoder = new StringDecoder('utf8');
  let buffer = '';
  let oversized = false;
  let line = 0;
  const chunks = stream.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer | string>;
  for await (const chunk of wrapInterruptions(chunks)) {
    buffer += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      line += 1;
      yield { line, text: oversized ? null : buffer.slice(start, newline) };
      oversized = false;
      start = newline + 1;
      newline = buffer.indexOf('\n', start);
    }
    buffer = buffer.slice(start);
    if (buffer.length > MAX_LINE_BYTES) {
      oversized = true;
      buffer = '';
    }
  }
  buffer += decoder.end();
  if (buffer.length > 0 || oversized) yield { line: line + 1, text: oversized ? null : buffer };
}

/** NDJSON: one JSON object per line; blank lines hold no row. */
export async function* ndjsonRows(stream: Readable): AsyncGenerator<SourceRow> {
  for await (const { line, text } of linesOf(stream)) {
    if (text === null) {
      yield {
        line,
        error: { code: 'line_too_long', reason: `the line is longer than ${MAX_LINE_BYTES} bytes` },
      };
      continue;
    }
    const trimmed = text.replace(/^\uFEFF/, '').trim();
    if (trimmed === '') {
      yield { line, empty: true };
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      yield { line, error: { code: 'invalid_json', reason: 'the line is not valid JSON' } };
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      yield { line, error: { code: 'invalid_json', reason: 'the line must be a JSON object' } };
      continue;
    }
    yield { line, value: value as Record<string, unknown> };
  }
}

type ColumnKind = 'string' | 'number' | 'boolean' | 'json';

/** How a CSV cell becomes the field's JSON value, from the item schema's type for that field. */
function kindOf(schema: Record<string, unknown>): ColumnKind {
  const type = schema.type;
  if (type === 'integer' || type === 'number') return 'number';
  if (type === 'boolean') return 'boolean';
  if (type === 'array' || type === 'object') return 'json';
  const branches = (schema.anyOf ?? schema.oneOf) as Array<Record<string, unknown>> | undefined;
  const first = branches?.find((b) => b.type !== 'null');
  return first ? kindOf(first) : 'string';
}

const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const BOOLEANS: Record<string, boolean> = { true: true, false: false, '1': true, '0': false };

/** A cell as the field's value; text that does not fit the type is kept, and validation names it. */
function cellValue(kind: ColumnKind, cell: string): { value: unknown } | { error: string } {
  switch (kind) {
    case 'number':
      return { value: NUMBER.test(cell.trim()) ? Number(cell) : cell };
    case 'boolean': {
      const parsed = BOOLEANS[cell.trim().toLowerCase()];
      return { value: parsed ?? cell };
    }
    case 'json':
      try {
        return { value: JSON.parse(cell) };
      } catch {
        return { error: 'is not valid JSON (lists and objects go in a cell as JSON)' };
      }
    default:
      return { value: cell };
  }
}

function csvHeader(cells: string[], itemSchema: TSchema): Array<{ name: string; kind: ColumnKind }> {
  const properties = (itemSchema as unknown as { properties: Record<string, Record<string, unknown>> })
    .properties;
  const names = cells.map((c) => c.trim());
  const unknown = names.filter((n) => !Object.hasOwn(properties, n));
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (unknown.length > 0 || repeated.length > 0) {
    const parts = [
      unknown.length ? `unknown columns: ${unknown.join(', ')}` : '',
      repeated.length ? `repeated columns: ${[...new Set(repeated)].join(', ')}` : '',
    ].filter(Boolean);
    throw new ImportFileError(
      1,
      `The CSV header has ${parts.join('; ')}. Known columns: ${Object.keys(properties).join(', ')}.`,
    );
  }
  return names.map((name) => ({ name, kind: kindOf(properties[name]!) }));
}

/**
 * CSV with a header row naming the item's fields. An empty cell leaves the field out; numbers
 * and booleans are read as such; lists and objects (order lines, tags) are JSON in their cell.
 */
export async function* csvRows(stream: Readable, itemSchema: TSchema): AsyncGenerator<SourceRow> {
  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_LINE_BYTES,
  });
  const skipped: SourceRow[] = [];
  parser.on('skip', (error: Error & { lines?: number }) => {
    skipped.push({ line: error.lines ?? 0, error: { code: 'invalid_csv', reason: error.message } });
  });
  // pipe() leaves the upload open when the parser stops early (the caller drains it and still
  // answers); a broken upload is handed on to the parser so that the loop below ends.
  stream.pipe(parser);
  finished(stream, (error) => {
    if (error) parser.destroy(error);
  });
  let columns: Array<{ name: string; kind: ColumnKind }> | undefined;
  const records = wrapInterruptions<{ record: string[]; info: { lines: number } }>(parser);
  for await (const { record, info } of records) {
    while (skipped.length > 0 && skipped[0]!.line <= info.lines) yield skipped.shift()!;
    if (!columns) {
      columns = csvHeader(record, itemSchema);
      yield { line: info.lines, empty: true };
      continue;
    }
    if (record.length !== columns.length) {
      yield {
        line: info.lines,
        error: {
          code: 'invalid_csv',
          reason: `the row has ${record.length} fields, the header ${columns.length}`,
        },
      };
      continue;
    }
    const value: Record<string, unknown> = {};
    const errors: string[] = [];
    record.forEach((cell, i) => {
      if (cell === '') return;
      const column = columns![i]!;
      const converted = cellValue(column.kind, cell);
      if ('error' in converted) errors.push(`${column.name} ${converted.error}`);
      else value[column.name] = converted.value;
    });
    yield errors.length > 0
      ? { line: info.lines, error: { code: 'invalid_csv', reason: errors.join('; ') } }
      : { line: info.lines, value };
  }
  yield* skipped;
}
