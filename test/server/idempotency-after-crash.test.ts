import type pg from 'pg';
import {
  createServerDatabase,
  request,
  serverTestsEnabled,
  someoneWaitsOn,
  startServer,
  waitUntil,
  type ServerDatabase,
  type ServerProcess,
} from './server-process';

/**
 * kill -9 in the middle of a request that holds an Idempotency-Key: the retry, on a restarted
 * process, is not told "in flight" for minutes but takes the dead process's claim over at once,
 * and the record is written once (docs/design.md "Crashes and shutdown").
 */
const enabled = serverTestsEnabled('the kill -9 idempotency test');
const d = enabled ? describe : describe.skip;

d('an idempotent request cut off by kill -9', () => {
  let database: ServerDatabase;
  let blocker: pg.Client;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    database = await createServerDatabase();
  });

  afterAll(async () => {
    for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await Promise.all(servers.map((s) => s.exited));
    await blocker?.end().catch(() => undefined);
    await database?.drop();
  });

  const start = async () => {
    const server = await startServer({ DATABASE_URL: database.url });
    servers.push(server);
    return server;
  };

  it('is taken over at once by the retry, which writes it once', async () => {
    const [first, other] = await Promise.all([start(), start()]);
    blocker = await database.connect();
    const body = { name: 'Cut off mid-request', kind: 'person' };
    const headers = { 'idempotency-key': 'crash-test-1' };

    // The test holds a lock that lets reads through but makes the insert of a customer wait.
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE customers IN SHARE MODE');
    const cutOff = request(first.origin, 'POST', '/v1/customers', { body, headers });
    cutOff.catch(() => undefined);
    await waitUntil('the request waits on the lock', () => someoneWaitsOn(blocker, 'customers'));

    // While its process lives, the claim is honoured: another instance answers 409.
    const meanwhile = await request(other.origin, 'POST', '/v1/customers', { body, headers });
    expect(meanwhile.status).toBe(409);
    expect(meanwhile.json().code).toBe('idempotency_request_in_flight');

    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    await expect(cutOff).rejects.toThrow();
    // The server ends the dead process's sessions: its lock wait, then its transaction, roll back.
    await blocker.query('COMMIT');

    const restarted = await start();
    const startedAt = Date.now();
    const retry = await request(restarted.origin, 'POST', '/v1/customers', { body, headers });
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(Date.now() - startedAt).toBeLessThan(5000);
    const created = retry.json();
    expect(created.name).toBe(body.name);

    // The answer is now stored: every instance replays it.
    for (const server of [restarted, other]) {
      const replay = await request(server.origin, 'POST', '/v1/customers', { body, headers });
      expect(replay.status).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.json().id).toBe(created.id);
    }

    // Exactly one write, once nothing of the killed process is left on the server.
    await waitUntil('the killed process has no session left', async () => {
      const result = await blocker.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity
          WHERE datname = current_database() AND state IN ('active', 'idle in transaction')
            AND pid <> pg_backend_pid() AND query ILIKE 'insert into "customers"%'`,
      );
      return Number(result.rows[0]?.n) === 0;
    });
    const customers = await blocker.query('SELECT id FROM customers WHERE name = $1', [body.name]);
    expect(customers.rows).toEqual([{ id: created.id }]);
    const events = await blocker.query(
      `SELECT count(*)::int AS n FROM events WHERE type = 'customer.created' AND entity_id = $1`,
      [created.id],
    );
    expect(events.rows[0].n).toBe(1);
  }, 300000);
});
