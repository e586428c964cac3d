import { randomInt } from 'node:crypto';
import pg from 'pg';

/**
 * Tells whether the process that left a piece of work in the database (an idempotency claim) is
 * still alive, so that work a killed process can never finish is taken over at once instead of
 * after a timeout (docs/design.md "Crashes and shutdown").
 */
export interface InstanceLease {
  /** This process's instance key, recorded beside the work it claims. Takes the lease on first use. */
  key(): Promise<number>;
  /** Whether the instance that recorded `key` still holds its lease. */
  isAlive(key: number): Promise<boolean>;
  close(): Promise<void>;
}

/** The first half of the two-key advisory lock; the event writer's lock uses another number. */
const INSTANCE_LOCK_SPACE = 41_301;
const MAX_KEY = 2 ** 31 - 1;

export interface ServerLeaseOptions {
  url: string;
  connectTimeoutMs: number;
  /** Told when the lease connection is lost; the lease is taken again on the next key(). */
  onLost?: (error: unknown) => void;
}

/**
 * On a PostgreSQL server: one dedicated connection holds a session-level advisory lock on
 * (INSTANCE_LOCK_SPACE, key). PostgreSQL releases it when the session ends, and the session ends
 * when the process dies (kill -9 included: the kernel closes the socket). A process asks pg_locks
 * whether another's key is still held. Should the connection drop while the process lives, the
 * next key() takes the same key again (another process could take over this one's claims in the
 * gap; docs/design.md names that limit).
 */
export function serverLease(options: ServerLeaseOptions): InstanceLease {
  let key = randomInt(1, MAX_KEY);
  let client: pg.Client | undefined;
  let taking: Promise<number> | undefined;
  let closed = false;

  const take = async (): Promise<number> => {
    const connection = new pg.Client({
      connectionString: options.url,
      connectionTimeoutMillis: options.connectTimeoutMs,
      keepAlive: true,
      application_name: 'crm instance lease',
    });
    // An idle client's error (the server restarted, the network dropped) must not crash the
    // process: it only means the lease is gone.
    const lost = (error: unknown) => {
      if (client === connection) {
        client = undefined;
        options.onLost?.(error);
      }
      connection.end().catch(() => undefined);
    };
    connection.on('error', lost);
    connection.on('end', () => lost(new Error('instance lease connection ended')));
    try {
      await connection.connect();
      // The same key again after a lost connection; another only if someone else holds it.
      for (;;) {
        const result = await connection.query<{ taken: boolean }>(
          'SELECT pg_try_advisory_lock($1::integer, $2::integer) AS taken',
          [INSTANCE_LOCK_SPACE, key],
        );
        if (result.rows[0]?.taken) break;
        key = randomInt(1, MAX_KEY);
      }
    } catch (error) {
      connection.removeAllListeners('end');
      await connection.end().catch(() => undefined);
      throw error;
    }
    if (closed) {
      await connection.end().catch(() => undefined);
      throw new Error('instance lease is closed');
    }
    client = connection;
    return key;
  };

  return {
    async key() {
      if (client) return key;
      if (closed) throw new Error('instance lease is closed');
      taking ??= take().finally(() => {
        taking = undefined;
      });
      return taking;
    },
    async isAlive(other) {
      if (other === key && client) return true;
      const probe = client;
      const sql = `SELECT EXISTS (
                     SELECT 1 FROM pg_locks
                      WHERE locktype = 'advisory' AND granted AND objsubid = 2
                        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                        AND classid = $1::integer::oid AND objid = $2::integer::oid
                   ) AS alive`;
      const params = [INSTANCE_LOCK_SPACE, other];
      if (probe) {
        const result = await probe.query<{ alive: boolean }>(sql, params);
        return result.rows[0]?.alive === true;
      }
      // Without a lease of our own (lost just now) ask on a short-lived connection.
      const once = new pg.Client({
        connectionString: options.url,
        connectionTimeoutMillis: options.connectTimeoutMs,
      });
      once.on('error', () => undefined);
      await once.connect();
      try {
        const result = await once.query<{ alive: boolean }>(sql, params);
        return result.rows[0]?.alive === true;
      } finally {
        await once.end().catch(() => undefined);
      }
    },
    async close() {
      closed = true;
      await taking?.catch(() => undefined);
      const connection = client;
      client = undefined;
      if (connection) {
        connection.removeAllListeners('end');
        await connection.end().catch(() => undefined);
      }
    },
  };
}

/**
 * On the embedded PGlite only one process can open the data directory, so a claim recorded by any
 * other instance key belongs to a process that has ended.
 */
export function embeddedLease(): InstanceLease {
  const key = randomInt(1, MAX_KEY);
  return {
    key: async () => key,
    isAlive: async (other) => other === key,
    close: async () => undefined,
  };
}
