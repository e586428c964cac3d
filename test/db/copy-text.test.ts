import { createHash } from 'node:crypto';
import type { Database } from '../../src/db/create-database';
import { CopyRowCursor, parseCopyRow } from '../../src/db/copy-text';
import { createTestDatabase } from '../helpers/test-database';

describe('parseCopyRow', () => {
  it('splits a row at tabs', () => {
    expect(parseCopyRow('a\tb\tc')).toEqual(['a', 'b', 'c']);
    expect(parseCopyRow('one')).toEqual(['one']);
    expect(parseCopyRow('')).toEqual(['']);
    expect(parseCopyRow('\t')).toEqual(['', '']);
  });

  it('reads \\N as NULL, distinct from the empty string', () => {
    expect(parseCopyRow('\\N')).toEqual([null]);
    expect(parseCopyRow('x\t\\N\t\t\\N')).toEqual(['x', null, '', null]);
  });

  it('undoes the backslash escapes', () => {
    expect(parseCopyRow('a\\tb')).toEqual(['a\tb']);
    expect(parseCopyRow('line 1\\nline 2')).toEqual(['line 1\nline 2']);
    expect(parseCopyRow('back\\\\slash')).toEqual(['back\\slash']);
    expect(parseCopyRow('\\r\\b\\f\\v')).toEqual(['\r\b\f\v']);
    // An escaped backslash before N is the text "\N", not NULL.
    expect(parseCopyRow('\\\\N')).toEqual(['\\N']);
    // "\\" then "t": a backslash followed by the letter, not a tab.
    expect(parseCopyRow('\\\\t\t\\\\\\t')).toEqual(['\\t', '\\\t']);
  });
});

/** A cursor over `chunks`, counting the chunks it is given and checking that each ends a line. */
function countingChunks(source: AsyncIterable<string>) {
  const seen = { chunks: 0, wholeLines: true };
  const chunks: AsyncIterable<string> = {
    async *[Symbol.asyncIterator]() {
      for await (const chunk of source) {
        seen.chunks++;
        if (!chunk.endsWith('\n')) seen.wholeLines = false;
        yield chunk;
      }
    },
  };
  return { chunks, seen };
}

describe('CopyRowCursor over a real COPY out', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.close());

  const ROWS = 50_000;
  const seriesQuery = `SELECT g, md5(g::text), CASE WHEN g % 7 = 0 THEN NULL ELSE g * 2 END
                         FROM generate_series(1, ${ROWS}) g ORDER BY g`;

  it('gives every row in order, then null', async () => {
    const { chunks, seen } = countingChunks(db.bulk.copyOut(seriesQuery));
    const cursor = new CopyRowCursor(chunks);
    let count = 0;
    for (let row = await cursor.next(); row; row = await cursor.next()) {
      count++;
      const g = count;
      expect(row).toEqual([
        String(g),
        createHash('md5').update(String(g)).digest('hex'),
        g % 7 === 0 ? null : String(g * 2),
      ]);
    }
    expect(count).toBe(ROWS);
    expect(await cursor.next()).toBeNull();
    expect(await cursor.next()).toBeNull();
    expect(seen.wholeLines).toBe(true);
    // A server streams the output in many pieces; the embedded database hands it over whole.
    if (db.kind === 'postgres') expect(seen.chunks).toBeGreaterThan(1);
    else expect(seen.chunks).toBe(1);
    await cursor.close(); // after the end: nothing left to release
  });

  it('gives text with tabs, newlines, backslashes and "\\N" back exactly, NULL as null', async () => {
    await db.knex.raw('CREATE TABLE copy_text_values (k int PRIMARY KEY, t text)');
    const values = [
      'plain',
      '',
      null,
      'tab\there',
      'two\nlines',
      'carriage\rreturn',
      'back\\slash',
      '\\N',
      '\\',
      'trailing tab\t',
      '\b\f\v',
      'Zürich 😀',
    ];
    await db.knex('copy_text_values').insert(values.map((t, k) => ({ k, t })));
    const cursor = new CopyRowCursor(
      db.bulk.copyOut('SELECT k, t, t IS NULL FROM copy_text_values ORDER BY k'),
    );
    const rows: Array<Array<string | null>> = [];
    for (let row = await cursor.next(); row; row = await cursor.next()) rows.push(row);
    expect(rows).toEqual(values.map((t, k) => [String(k), t, t === null ? 't' : 'f']));
  });

  it('gives null at once for a query without rows', async () => {
    const cursor = new CopyRowCursor(db.bulk.copyOut('SELECT 1 WHERE false'));
    expect(await cursor.next()).toBeNull();
    await cursor.close();
  });

  it('walks two outputs side by side (a merge join)', async () => {
    const twos = new CopyRowCursor(
      db.bulk.copyOut('SELECT g FROM generate_series(2, 60000, 2) g ORDER BY g'),
    );
    const threes = new CopyRowCursor(
      db.bulk.copyOut('SELECT g FROM generate_series(3, 60000, 3) g ORDER BY g'),
    );
    const common: number[] = [];
    try {
      let a = await twos.next();
      let b = await threes.next();
      while (a && b) {
        const x = Number(a[0]);
        const y = Number(b[0]);
        if (x === y) common.push(x);
        if (x <= y) a = await twos.next();
        if (y <= x) b = await threes.next();
      }
    } finally {
      await Promise.all([twos.close(), threes.close()]);
    }
    expect(common).toHaveLength(10_000);
    expect(common.every((v, i) => v === 6 * (i + 1))).toBe(true);
  });

  it('close() before the end releases the COPY: the database keeps answering', async () => {
    // More abandoned COPYs than the server pool has connections (5 in tests): a connection
    // that was not given back would leave the last ones, and the queries after, waiting.
    for (let i = 0; i < 8; i++) {
      const cursor = new CopyRowCursor(db.bulk.copyOut(seriesQuery));
      for (let k = 1; k <= 10; k++) expect((await cursor.next())?.[0]).toBe(String(k));
      await cursor.close();
    }
    const answer = await db.knex.raw('SELECT count(*)::int AS n FROM generate_series(1, 1000)');
    expect(answer.rows[0].n).toBe(1000);
    // A transaction on a pooled connection still behaves (no COPY left half-read on it).
    const inTransaction = await db.knex.transaction(async (trx) => {
      await trx.raw('CREATE TEMPORARY TABLE after_close (x int) ON COMMIT DROP');
      await trx.raw('INSERT INTO after_close VALUES (1), (2)');
      const sum = await trx.raw('SELECT sum(x)::int AS s FROM after_close');
      return sum.rows[0].s as number;
    });
    expect(inTransaction).toBe(3);
    // And a full COPY out after the abandoned ones gives every row.
    const cursor = new CopyRowCursor(db.bulk.copyOut(seriesQuery));
    let count = 0;
    while (await cursor.next()) count++;
    expect(count).toBe(ROWS);
  });

  it('close() before the first row reads nothing and leaves the cursor finished', async () => {
    const cursor = new CopyRowCursor(db.bulk.copyOut(seriesQuery));
    await cursor.close();
    expect(await cursor.next()).toBeNull();
    const answer = await db.knex.raw('SELECT 1 AS one');
    expect(answer.rows[0].one).toBe(1);
  });
});
