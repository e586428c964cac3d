/** PostgreSQL's COPY text format: tab-separated fields, `\N` for NULL, backslash escapes. */

const UNESCAPES: Record<string, string> = {
  '\\': '\\',
  t: '\t',
  n: '\n',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
};

/** The fields of one row (without its newline); NULL is null. */
export function parseCopyRow(line: string): Array<string | null> {
  return line.split('\t').map((field) => {
    if (field === '\\N') return null;
    if (!field.includes('\\')) return field;
    return field.replace(/\\(.)/g, (_, c: string) => UNESCAPES[c] ?? c);
  });
}

/**
 * Reads the rows of a COPY out one at a time, in order, from its chunks of whole lines; lets a
 * caller walk two sorted outputs side by side (a merge join).
 */
export class CopyRowCursor {
  private lines: string[] = [];
  private at = 0;
  private finished = false;
  private readonly source: AsyncIterator<string>;

  constructor(chunks: AsyncIterable<string>) {
    this.source = chunks[Symbol.asyncIterator]();
  }

  /** The next row's fields, or null after the last. */
  async next(): Promise<Array<string | null> | null> {
    while (this.at >= this.lines.length) {
      if (this.finished) return null;
      const { value, done } = await this.source.next();
      if (done) {
        this.finished = true;
        return null;
      }
      this.lines = value.split('\n');
      if (this.lines[this.lines.length - 1] === '') this.lines.pop();
      this.at = 0;
    }
    return parseCopyRow(this.lines[this.at++] as string);
  }

  /** Stops reading early (the COPY's connection is released). */
  async close(): Promise<void> {
    if (!this.finished) {
      this.finished = true;
      await this.source.return?.();
    }
  }
}
