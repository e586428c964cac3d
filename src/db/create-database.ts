import fs from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import ClientPGLite from 'knex-pglite';
import pg from 'pg';
import { embeddedBulkCopy, serverBulkCopy, type BulkCopy } from './bulk-copy';
import { lockDataDir } from './data-dir-lock';
import { embeddedLease, serverLease, type InstanceLease } from './instance-lease';

// NUMERIC (1700) and BIGINT (20) stay strings: money is exact decimal text, counts are parsed
// where they are used. DATE (1082) stays 'YYYY-MM-DD' instead of a local-midnight Date.
pg.types.setTypeParser(1082, (value: string) => value);

export interface DatabaseOptions {
  /** postgres:// URL of a server; absent selects the embedded PGlite database. */
  url?: string;
  /** Directory for PGlite's files; absent keeps the embedded database in memory (tests). */
  dataDir?: string;
  /** Schema to use on a server (tests give each file its own). */
  schema?: string;
  statementTimeoutMs?: number;
  poolMax?: number;
  /** Longest wait for a new server connection before the request fails (503, not a hang). */
  connectTimeoutMs?: number;
  /** Longest wait for a free pool connection before the request fails. */
  acquireTimeoutMs?: number;
}

export interface Database {
  knex: Knex;
  kind: 'postgres' | 'pglite';
  /** COPY in and out, for jobs that move every row of a table. */
  bulk: BulkCopy;
  /** This process's liveness, for work it leaves in the database (idempotency claims). */
  lease: InstanceLease;
  close(): Promise<void>;
}

/** Builds the knex instance for a PostgreSQL server or for the embedded PGlite. */
export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  const timeout = options.statementTimeoutMs ?? 30000;
  if (options.url) {
    const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    // With the server down, a request fails within these bounds and the error becomes 503
    // database_unavailable (src/http/translate-database-error.ts). knex marks a pooled client whose
    // socket errors while idle as disposed (its 'error' listener keeps the process alive) and the
    // pool replaces it on the next acquire, so recovery needs no restart.
    const instance = knex({
      client: 'pg',
      connection: {
        connectionString: options.url,
        statement_timeout: timeout || undefined,
        connectionTimeoutMillis: connectTimeoutMs,
        keepAlive: true,
      },
      searchPath: options.schema ? [options.schema, 'public'] : undefined,
      pool: { min: 0, max: options.poolMax ?? 10 },
      acquireConnectionTimeout: options.acquireTimeoutMs ?? 10000,
    });
    const lease = serverLease({ url: options.url, connectTimeoutMs });
    return {
      knex: instance,
      kind: 'postgres',
      bulk: serverBulkCopy(instance),
      lease,
      close: async () => {
        await lease.close();
        await instance.destroy();
      },
    };
  }
  if (options.dataDir) fs.mkdirSync(path.resolve(options.dataDir), { recursive: true });
  const unlock = options.dataDir ? lockDataDir(path.resolve(options.dataDir)) : () => undefined;
  // The options-object form: PGlite 0.5 drops `extensions` when the first argument is undefined.
  const pglite = new PGlite({
    ...(options.dataDir ? { dataDir: path.resolve(options.dataDir) } : {}),
    extensions: { pg_trgm },
    // The same DATE text as through pg (see the type parser above), not a local-midnight Date.
    parsers: { 1082: (value: string) => value },
  });
  await pglite.waitReady;
  await pglite.exec(`SET statement_timeout = ${Math.floor(timeout)}`);
  const instance = knex({ client: ClientPGLite, connection: { pglite } as never });
  return {
    knex: instance,
    kind: 'pglite',
    bulk: embeddedBulkCopy(pglite),
    lease: embeddedLease(),
    close: async () => {
      await instance.destroy();
      if (!pglite.closed) await pglite.close();
      unlock();
    },
  };
}
