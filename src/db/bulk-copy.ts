import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite } from '@electric-sql/pglite';
import type { Knex } from 'knex';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { BINARY_COPY_HEADER, BINARY_COPY_TRAILER } from './copy-binary';

/**
 * COPY in PostgreSQL's text format, for the few jobs that move a whole table's worth of rows
 * (an analytics run reads every customer's purchases and writes a snapshot row for each): one
 * statement and no per-row protocol or object overhead, against a few hundred thousand rows a
 * second through ordinary queries. Both run without the statement timeout, which is meant for
 * requests, not for jobs.
 */
export interface BulkCopy {
  /**
   * `COPY (query) TO ...` in text format: the output in chunks of whole lines. `before` runs
   * first in the same transaction (e.g. `SET LOCAL timezone = 'UTC'`).
   */
  copyOut(query: string, options?: { before?: string[] }): AsyncIterable<string>;
  /**
   * `COPY target FROM ...`, fed with `chunks`: whole lines of the text format, or whole rows of
   * the binary format (header and trailer are added here; see copy-binary.ts).
   */
  copyIn(target: string, chunks: CopyChunks, options?: CopyInOptions): Promise<void>;
}

export interface CopyInOptions {
  format?: 'text' | 'binary';
  /**
   * Statements run first in the COPY's transaction. When one of them creates the target, the
   * rows can be loaded frozen (`freeze`): no later statement has to set their hint bits.
   */
  before?: string[];
  freeze?: boolean;
}

export type CopyChunks = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

async function* framed(chunks: CopyChunks, format: 'text' | 'binary'): AsyncIterable<string | Uint8Array> {
  if (format === 'binary') yield BINARY_COPY_HEADER;
  yield* chunks;
  if (format === 'binary') yield BINARY_COPY_TRAILER;
}

function copyStatement(target: string, source: string, { format = 'text', freeze = false }: CopyInOptions) {
  const options = [...(format === 'binary' ? ['FORMAT binary'] : []), ...(freeze ? ['FREEZE'] : [])];
  return `COPY ${target} FROM ${source}${options.length ? ` WITH (${options.join(', ')})` : ''}`;
}

/** Splits a stream of text into chunks that end at a line end (COPY text rows never span one). */
async function* wholeLines(source: AsyncIterable<Buffer | string>): AsyncIterable<string> {
  let rest = '';
  for await (const piece of source) {
    const text = rest + piece.toString();
    const end = text.lastIndexOf('\n');
    if (end < 0) {
      rest = text;
      continue;
    }
    rest = text.slice(end + 1);
    yield text.slice(0, end + 1);
  }
  if (rest) yield `${rest}\n`;
}

/** knex's pooled pg connection; a reason in __knex__disposed makes the pool destroy it. */
type PooledConnection = pg.Client & { __knex__disposed?: string };

interface KnexClientInternals {
  acquireConnection(): Promise<PooledConnection>;
  releaseConnection(connection: PooledConnection): Promise<void>;
}

/** COPY on a PostgreSQL server, on a connection of knex's pool (so with its search_path). */
export function serverBulkCopy(knex: Knex): BulkCopy {
  const client = knex.client as unknown as KnexClientInternals;
  async function withConnection<T>(work: (connection: PooledConnection) => Promise<T>): Promise<T> {
    const connection = await client.acquireConnection();
    try {
      await connection.query('BEGIN');
      await connection.query('SET LOCAL statement_timeout = 0');
      const result = await work(connection);
      await connection.query('COMMIT');
      return result;
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await client.releaseConnection(connection);
    }
  }
  return {
    copyOut(query, options = {}) {
      return {
        async *[Symbol.asyncIterator]() {
          const connection = await client.acquireConnection();
          let finished = false;
          try {
            await connection.query('BEGIN');
            await connection.query('SET LOCAL statement_timeout = 0');
            for (const statement of options.before ?? []) await connection.query(statement);
            yield* wholeLines(connection.query(copyTo(`COPY (${query}) TO STDOUT`)));
            await connection.query('COMMIT');
            finished = true;
          } finally {
            // A consumer that stops early leaves the COPY unfinished: the pool drops that connection.
            if (!finished) connection.__knex__disposed = 'COPY abandoned';
            await client.releaseConnection(connection);
          }
        },
      };
    },
    async copyIn(target, chunks, options = {}) {
      await withConnection(async (connection) => {
        for (const statement of options.before ?? []) await connection.query(statement);
        await pipeline(
          Readable.from(framed(chunks, options.format ?? 'text')),
          connection.query(copyFrom(copyStatement(target, 'STDIN', options))),
        );
      });
    },
  };
}

/**
 * COPY on the embedded PGlite, through its in-memory file `/dev/blob`: the output arrives as
 * one piece and the input goes in as one (the embedded database serves bases far smaller than
 * a server does).
 */
export function embeddedBulkCopy(pglite: PGlite): BulkCopy {
  return {
    copyOut(query, options = {}) {
      return {
        async *[Symbol.asyncIterator]() {
          const result = await pglite.transaction(async (tx) => {
            await tx.exec('SET LOCAL statement_timeout = 0');
            for (const statement of options.before ?? []) await tx.exec(statement);
            return tx.query(`COPY (${query}) TO '/dev/blob'`);
          });
          const text = result.blob ? await result.blob.text() : '';
          if (text) yield text;
        },
      };
    },
    async copyIn(target, chunks, options = {}) {
      const parts: Array<string | Uint8Array> = [];
      for await (const chunk of framed(chunks, options.format ?? 'text')) parts.push(chunk);
      await pglite.transaction(async (tx) => {
        await tx.exec('SET LOCAL statement_timeout = 0');
        for (const statement of options.before ?? []) await tx.exec(statement);
        await tx.query(copyStatement(target, "'/dev/blob'", options), [], { blob: new Blob(parts) });
      });
    },
  };
}
