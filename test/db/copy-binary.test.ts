import type { Database } from '../../src/db/create-database';
import {
  BINARY_COPY_HEADER,
  BINARY_COPY_TRAILER,
  BinaryRowEncoder,
  type BinaryColumnType,
  type BinaryField,
} from '../../src/db/copy-binary';
import { createTestDatabase } from '../helpers/test-database';

/** Big-endian bytes of a 32-bit signed integer. */
function int32(value: number): number[] {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return [...bytes];
}

describe('BinaryRowEncoder: the bytes of PostgreSQL binary COPY', () => {
  it('frames the data with the documented 19-byte header and the 16-bit -1 trailer', () => {
    expect([...BINARY_COPY_HEADER]).toEqual([
      // 'PGCOPY\n\377\r\n\0'
      0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00,
      // flags (no OIDs), header extension length
      0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    expect([...BINARY_COPY_TRAILER]).toEqual([0xff, 0xff]);
  });

  it('encodes a row as field count, then per field a length (-1 for NULL) and the big-endian value', () => {
    const encoder = new BinaryRowEncoder(['int2', 'int', 'float8', 'uuid', 'text', 'int', 'float8']);
    encoder.add([-2, 258, 1.5, '00112233-4455-6677-8899-AABBCCDDEEFF', 'Zü', null, undefined]);
    // prettier-ignore
    expect([...encoder.take()]).toEqual([
      0x00, 0x07, // 7 fields
      ...int32(2), 0xff, 0xfe, // int2 -2
      ...int32(4), 0x00, 0x00, 0x01, 0x02, // int4 258
      ...int32(8), 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, // float8 1.5
      ...int32(16), 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
      0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, // uuid: 16 raw bytes
      ...int32(3), 0x5a, 0xc3, 0xbc, // 'Zü' in UTF-8: the length counts bytes, not characters
      ...int32(-1), // NULL
      ...int32(-1), // undefined is NULL too
    ]);
  });

  it('writes negative numbers, -0 and extreme doubles in their exact binary form', () => {
    const encoder = new BinaryRowEncoder(['int', 'int2', 'float8', 'float8', 'float8']);
    encoder.add([-(2 ** 31 - 1), -(2 ** 15 - 1), -0, 1e-300, -Number.MAX_VALUE]);
    const bytes = encoder.take();
    expect(bytes.readInt16BE(0)).toBe(5);
    expect(bytes.readInt32BE(2)).toBe(4);
    expect(bytes.readInt32BE(6)).toBe(-(2 ** 31 - 1));
    expect(bytes.readInt32BE(10)).toBe(2);
    expect(bytes.readInt16BE(14)).toBe(-(2 ** 15 - 1));
    expect(bytes.readInt32BE(16)).toBe(8);
    expect([...bytes.subarray(20, 28)]).toEqual([0x80, 0, 0, 0, 0, 0, 0, 0]); // -0: the sign bit alone
    expect(bytes.readDoubleBE(32)).toBe(1e-300);
    expect(bytes.readDoubleBE(44)).toBe(-Number.MAX_VALUE);
    expect(bytes).toHaveLength(2 + 8 + 6 + 3 * 12);
  });

  it('take() hands over the rows so far, starts afresh, and the handed-over bytes stay unchanged', () => {
    const encoder = new BinaryRowEncoder(['int']);
    encoder.add([1]);
    const first = encoder.take();
    expect([...first]).toEqual([0, 1, ...int32(4), ...int32(1)]);
    expect(encoder.take()).toHaveLength(0);
    encoder.add([2]);
    encoder.add([3]);
    expect([...encoder.take()]).toEqual([0, 1, ...int32(4), ...int32(2), 0, 1, ...int32(4), ...int32(3)]);
    expect([...first]).toEqual([0, 1, ...int32(4), ...int32(1)]);
  });

  it('grows past its initial buffer without losing or changing a byte', () => {
    const types: BinaryColumnType[] = ['uuid', 'int', 'text', 'float8'];
    const small = new BinaryRowEncoder(types, 8);
    const large = new BinaryRowEncoder(types, 1 << 20);
    for (let i = 0; i < 500; i++) {
      const row = [rowId(i), i - 250, 'x'.repeat(i % 37) + 'é', i / 7];
      small.add(row);
      large.add(row);
    }
    const grown = small.take();
    expect(grown.equals(large.take())).toBe(true);
    expect(grown.length).toBeGreaterThan(8);
  });

  it('refuses values the column type cannot hold, with a RangeError', () => {
    const refused: Array<[BinaryColumnType, BinaryField]> = [
      ['float8', NaN],
      ['float8', Infinity],
      ['float8', -Infinity],
      ['float8', '1.5'],
      ['int', 2 ** 31],
      ['int', -(2 ** 32)],
      ['int', 1.5],
      ['int', NaN],
      ['int', '7'],
      ['int2', 2 ** 15],
      ['int2', -(2 ** 16)],
      ['int2', 0.5],
      ['uuid', 'not-a-uuid'],
      ['uuid', '00112233-4455-6677-8899-aabbccddeef'], // 31 digits
      ['uuid', '00112233-4455-6677-8899-aabbccddeeff0'], // 33 digits
      ['uuid', '00112233-4455-6677-8899-aabbccddeeff00'], // 34 digits
      ['uuid', '00112233-4455-6677-8899-aabbccddeefg'],
      ['uuid', '00112233-4455-6677-8899-aabbccddeeü'],
      ['uuid', ''],
      ['uuid', '0-0-1-1-00112233445566778899aabbccdd'], // dashes out of place
      ['uuid', '00112233445566778899aabbccddeeff----'],
    ];
    for (const [type, value] of refused) {
      expect(() => new BinaryRowEncoder([type]).add([value])).toThrow(RangeError);
    }
  });

  it('accepts the largest and the smallest values of each integer type', () => {
    const encoder = new BinaryRowEncoder(['int', 'int2']);
    expect(() => encoder.add([2 ** 31 - 1, 2 ** 15 - 1])).not.toThrow();
    expect(() => encoder.add([-(2 ** 31), -(2 ** 15)])).not.toThrow();
    const bytes = encoder.take();
    expect(bytes.readInt32BE(22)).toBe(-(2 ** 31));
    expect(bytes.readInt16BE(30)).toBe(-(2 ** 15));
  });

  it('accepts a UUID without dashes', () => {
    const encoder = new BinaryRowEncoder(['uuid']);
    encoder.add(['00112233445566778899aabbccddeeff']);
    expect(encoder.take().subarray(6).toString('hex')).toBe('00112233445566778899aabbccddeeff');
  });

  it('leaves nothing of a row one of whose fields is refused', () => {
    const encoder = new BinaryRowEncoder(['int', 'float8']);
    expect(() => encoder.add([1, NaN])).toThrow(RangeError);
    encoder.add([2, 2.5]);
    const clean = new BinaryRowEncoder(['int', 'float8']);
    clean.add([2, 2.5]);
    expect(encoder.take()).toEqual(clean.take());
  });

  it('refuses a row with the wrong number of fields, with a RangeError', () => {
    const encoder = new BinaryRowEncoder(['int', 'text']);
    expect(() => encoder.add([1])).toThrow(RangeError);
    expect(() => encoder.add([1, 'a', 'b'])).toThrow(RangeError);
    expect(() => encoder.add([])).toThrow(RangeError);
    // A refused field count writes nothing.
    expect(encoder.take()).toHaveLength(0);
  });
});

/** A valid, distinct uuid for row i. */
function rowId(i: number): string {
  const hex = i.toString(16).padStart(12, '0');
  return `0190a6f2-7c3e-7000-8000-${hex}`;
}

const COLUMNS: BinaryColumnType[] = ['int', 'uuid', 'int', 'int2', 'float8', 'text'];

type Row = [number, string | null, number | null, number | null, number | null, string | null];

/** The edge cases, then ordinary rows, keyed by position. */
function sampleRows(): Row[] {
  const rows: Row[] = [
    [0, '018f3c9e-0000-7000-8000-000000000001', 2 ** 31 - 1, 2 ** 15 - 1, 1e-300, 'Zürich'],
    [1, 'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF', -(2 ** 31 - 1), -(2 ** 15 - 1), -0, 'emoji 😀 and ✓'],
    [2, null, null, null, null, null],
    [3, '00000000-0000-0000-0000-000000000000', 0, 0, -1.7976931348623157e308, ''],
    [4, rowId(4), -1, -1, -123.456, 'tab\there, newline\nthere, backslash \\ and \\N'],
    [5, rowId(5), 42, 7, 5e-324, '日本語のテキスト'],
    [6, rowId(6), -42, -7, 0.1 + 0.2, '\\N'],
  ];
  for (let k = rows.length; k < 3000; k++) {
    rows.push([
      k,
      k % 11 === 0 ? null : rowId(k),
      k % 13 === 0 ? null : (k * 2654435761) % 2 ** 31,
      k % 17 === 0 ? null : (k % 65535) - 32767,
      k % 19 === 0 ? null : Math.sin(k) * 10 ** ((k % 40) - 20),
      k % 23 === 0 ? null : `row ${k} ${'ä'.repeat(k % 5)}`,
    ]);
  }
  return rows;
}

/** How a row reads back: uuids come out in lower case. */
function asStored(row: Row): Row {
  const [k, id, ...rest] = row;
  return [k, id === null ? null : id.toLowerCase(), ...rest];
}

describe('binary COPY into a real database', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.close());

  async function readBack(table: string): Promise<Row[]> {
    const rows: Array<{
      k: number;
      id: string | null;
      n: number | null;
      s: number | null;
      x: number | null;
      t: string | null;
    }> = await db.knex(table).select('k', 'id', 'n', 's', 'x', 't').orderBy('k');
    return rows.map((r) => [r.k, r.id, r.n, r.s, r.x, r.t]);
  }

  const createTable = (table: string) =>
    `CREATE TABLE ${table} (k int PRIMARY KEY, id uuid, n int, s int2, x float8, t text)`;

  it('loads rows encoded in several chunks and reads them back exactly', async () => {
    await db.knex.raw(createTable('binary_round_trip'));
    const rows = sampleRows();
    const encoder = new BinaryRowEncoder(COLUMNS, 256);
    const chunks: Buffer[] = [];
    rows.forEach((row, i) => {
      encoder.add(row);
      if (i % 700 === 699) chunks.push(encoder.take());
    });
    chunks.push(encoder.take());
    expect(chunks.length).toBeGreaterThan(3);

    async function* feed() {
      for (const chunk of chunks) yield chunk;
    }
    await db.bulk.copyIn('binary_round_trip (k, id, n, s, x, t)', feed(), { format: 'binary' });

    const stored = await readBack('binary_round_trip');
    expect(stored).toHaveLength(rows.length);
    // toEqual compares numbers with Object.is: -0 must come back as -0, every double bit for bit.
    expect(stored).toEqual(rows.map(asStored));
    expect(Object.is(stored[1]![4], -0)).toBe(true);

    // NULL and the empty string stay distinct, and the database sees the values, not text.
    const checks = await db.knex.raw(
      `SELECT count(*) FILTER (WHERE t IS NULL)::int AS null_texts,
              count(*) FILTER (WHERE t = '')::int AS empty_texts,
              (SELECT n FROM binary_round_trip WHERE k = 0) = 2147483647 AS max_int,
              (SELECT x FROM binary_round_trip WHERE k = 0) = 1e-300::float8 AS tiny,
              (SELECT length(t) FROM binary_round_trip WHERE k = 1) AS emoji_length
         FROM binary_round_trip`,
    );
    const expectedNullTexts = rows.filter((r) => r[5] === null).length;
    expect(checks.rows[0]).toEqual({
      null_texts: expectedNullTexts,
      empty_texts: 1,
      max_int: true,
      tiny: true,
      emoji_length: [...'emoji 😀 and ✓'].length,
    });
  });

  it('accepts the chunks as a plain array, and no rows at all', async () => {
    await db.knex.raw(createTable('binary_plain_array'));
    const encoder = new BinaryRowEncoder(COLUMNS);
    encoder.add([1, rowId(1), 1, 1, 1, 'one']);
    const one = encoder.take();
    encoder.add([2, rowId(2), 2, 2, 2, 'two']);
    await db.bulk.copyIn('binary_plain_array (k, id, n, s, x, t)', [one, encoder.take()], {
      format: 'binary',
    });
    await db.bulk.copyIn('binary_plain_array (k, id, n, s, x, t)', [], { format: 'binary' });
    expect(await readBack('binary_plain_array')).toEqual([
      [1, rowId(1), 1, 1, 1, 'one'],
      [2, rowId(2), 2, 2, 2, 'two'],
    ]);
  });

  it('runs `before` in the COPY transaction, so a table created there can be loaded with FREEZE', async () => {
    const encoder = new BinaryRowEncoder(COLUMNS);
    const rows = sampleRows().slice(0, 50);
    for (const row of rows) encoder.add(row);
    await db.bulk.copyIn('binary_frozen (k, id, n, s, x, t)', [encoder.take()], {
      format: 'binary',
      freeze: true,
      before: [createTable('binary_frozen'), "COMMENT ON TABLE binary_frozen IS 'loaded frozen'"],
    });
    expect(await readBack('binary_frozen')).toEqual(rows.map(asStored));
    const comment = await db.knex.raw("SELECT obj_description('binary_frozen'::regclass, 'pg_class') AS c");
    expect(comment.rows[0].c).toBe('loaded frozen');
  });

  it('passes FREEZE on: the database refuses it for a table created in an earlier transaction', async () => {
    await db.knex.raw(createTable('binary_not_new'));
    const encoder = new BinaryRowEncoder(COLUMNS);
    encoder.add([1, rowId(1), 1, 1, 1, 'one']);
    const chunk = encoder.take();
    await expect(
      db.bulk.copyIn('binary_not_new (k, id, n, s, x, t)', [chunk], { format: 'binary', freeze: true }),
    ).rejects.toThrow(/FREEZE/);
    // Without FREEZE the same load goes in, on a database that is still usable.
    await db.bulk.copyIn('binary_not_new (k, id, n, s, x, t)', [chunk], { format: 'binary' });
    expect(await readBack('binary_not_new')).toEqual([[1, rowId(1), 1, 1, 1, 'one']]);
  });

  it('rolls back the `before` statements when the data is refused', async () => {
    // Rows of two fields for a table of six columns.
    const encoder = new BinaryRowEncoder(['int', 'text']);
    encoder.add([1, 'short']);
    await expect(
      db.bulk.copyIn('binary_refused (k, id, n, s, x, t)', [encoder.take()], {
        format: 'binary',
        freeze: true,
        before: [createTable('binary_refused')],
      }),
    ).rejects.toThrow();
    const table = await db.knex.raw("SELECT to_regclass('binary_refused') AS t");
    expect(table.rows[0].t).toBeNull();
  });
});
