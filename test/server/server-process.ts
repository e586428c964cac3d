import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { createDatabase } from '../../src/db/create-database';
import { migrateToLatest } from '../../src/db/migration-source';
import { assertTestDatabaseUrl } from '../helpers/test-database';

export const SERVER_ADMIN_KEY = 'server-test-admin-key-0123456789';

const ROOT = path.resolve(__dirname, '../..');

/**
 * The tests here start the real server (src/server.ts) as a child process, which needs a
 * PostgreSQL server: on the embedded PGlite only one process can open the data directory, so
 * there is no second process to crash or restart beside. Without DATABASE_URL they are skipped,
 * and say so.
 */
export function serverTestsEnabled(what: string): boolean {
  if (process.env.DATABASE_URL) return true;
  process.stderr.write(`\nSKIPPED ${what}: these tests need a PostgreSQL server (set DATABASE_URL).\n`);
  return false;
}

/** A fresh database of its own on the test server, migrated (so several servers may start at once). */
export interface ServerDatabase {
  /** The database's URL on the server itself. */
  url: string;
  /** Host and port of the server, for a proxy in front of it. */
  host: string;
  port: number;
  name: string;
  /** The same database reached through another host and port. */
  urlVia(host: string, port: number): string;
  /** A direct connection for the test's own queries (locks, counts). */
  connect(): Promise<pg.Client>;
  drop(): Promise<void>;
}

export async function createServerDatabase(): Promise<ServerDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL is not set');
  assertTestDatabaseUrl(base);
  const name = `crm_test_server_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const parsed = new URL(base);
  const urlVia = (host: string, port: number) => {
    const u = new URL(base);
    u.hostname = host;
    u.port = String(port);
    u.pathname = `/${name}`;
    return u.toString();
  };
  const url = urlVia(parsed.hostname, Number(parsed.port || 5432));
  const db = await createDatabase({ url });
  try {
    await migrateToLatest(db.knex);
  } finally {
    await db.close();
  }
  return {
    url,
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    name,
    urlVia,
    async connect() {
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => undefined);
      await client.connect();
      return client;
    },
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface ServerProcess {
  child: ChildProcess;
  /** http://127.0.0.1:<port> */
  origin: string;
  port: number;
  /** Resolves with the exit code and signal once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** Everything the process wrote so far (pino lines and stderr), for assertions and failures. */
  output(): string;
  /** Resolves when a log line matching `pattern` has been written. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

const LISTENING = /Server listening at (http:\/\/127\.0\.0\.1:(\d+))/;

/** Starts `node --import tsx src/server.ts` on an ephemeral port and waits until it listens. */
export async function startServer(env: Record<string, string>, timeoutMs = 60000): Promise<ServerProcess> {
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    NODE_OPTIONS: undefined,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    BOOTSTRAP_API_KEY: SERVER_ADMIN_KEY,
    ...env,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: childEnv as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const watchers = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const watcher of [...watchers]) watcher();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const waitForLog = (pattern: RegExp, waitMs = 15000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (pattern.test(output)) {
          cleanup();
          resolve();
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no log line matching ${pattern} within ${waitMs} ms; output:\n${output}`));
      }, waitMs);
      const cleanup = () => {
        clearTimeout(timer);
        watchers.delete(check);
      };
      watchers.add(check);
      check();
    });
  const early = exited.then(({ code, signal }) => {
    throw new Error(`server exited (code ${code}, signal ${signal}) before listening; output:\n${output}`);
  });
  early.catch(() => undefined);
  await Promise.race([waitForLog(LISTENING, timeoutMs), early]);
  const match = LISTENING.exec(output)!;
  return {
    child,
    origin: match[1]!,
    port: Number(match[2]),
    exited,
    output: () => output,
    waitForLog,
  };
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: () => Record<string, unknown>;
  /** The socket the answer came on, to watch it close. */
  socket: import('node:net').Socket;
}

/** One HTTP request with node:http (keep-alive is up to the agent), answered in full. */
export function request(
  origin: string,
  method: string,
  urlPath: string,
  options: { body?: unknown; headers?: Record<string, string>; agent?: http.Agent } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = http.request(
      `${origin}${urlPath}`,
      {
        method,
        agent: options.agent,
        headers: {
          authorization: `Bearer ${SERVER_ADMIN_KEY}`,
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: () => JSON.parse(body),
            socket: res.socket,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Polls until `probe` is true (a lock is waited on, a backend is gone); fails after timeoutMs. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 15000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Whether some session waits for a lock on `table` of the connected database. */
export async function someoneWaitsOn(client: pg.Client, table: string, count = 1): Promise<boolean> {
  const result = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM pg_locks WHERE relation = $1::regclass AND NOT granted`,
    [table],
  );
  return Number(result.rows[0]?.n) >= count;
}
