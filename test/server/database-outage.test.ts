import type pg from 'pg';
import {
  createServerDatabase,
  request,
  serverTestsEnabled,
  someoneWaitsOn,
  startServer,
  waitUntil,
  type Answer,
  type ServerDatabase,
  type ServerProcess,
} from './server-process';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

/**
 * The database cut off behind a proxy: requests answer 503 database_unavailable with Retry-After
 * (a query cut mid-way, a refused connection, a connection that never answers), the process keeps
 * running, and once the database is back it serves again without a restart.
 */
const enabled = serverTestsEnabled('the database outage test');
const d = enabled ? describe : describe.skip;

function expectUnavailable(answer: Answer): void {
  expect(answer.status).toBe(503);
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(answer.headers['retry-after']).toMatch(/^\d+$/);
  const problem = answer.json();
  expect(problem.code).toBe('database_unavailable');
  expect(problem.status).toBe(503);
  expect(answer.body).not.toMatch(/ECONNREFUSED|terminated|select|insert/i);
}

d('the database unreachable', () => {
  let database: ServerDatabase;
  let proxy: TcpProxy;
  let blocker: pg.Client;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    database = await createServerDatabase();
    proxy = await startTcpProxy(database.host, database.port);
  });

  afterAll(async () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    await server?.exited;
    await proxy?.close();
    await blocker?.end().catch(() => undefined);
    await database?.drop();
  });

  it('answers 503 database_unavailable while it is down and recovers without a restart', async () => {
    server = await startServer({ DATABASE_URL: database.urlVia('127.0.0.1', proxy.port) });
    const { origin } = server;
    expect((await request(origin, 'GET', '/v1/customers')).status).toBe(200);
    expect((await request(origin, 'GET', '/readyz')).status).toBe(200);

    // A query in progress when the connection is cut.
    blocker = await database.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE customers IN SHARE MODE');
    const cut = request(origin, 'POST', '/v1/customers', { body: { name: 'Cut by the network' } });
    await waitUntil('the insert waits on the lock', () => someoneWaitsOn(blocker, 'customers'));
    await proxy.refuse();
    expectUnavailable(await cut);
    await blocker.query('COMMIT');

    // New connections refused.
    expectUnavailable(await request(origin, 'GET', '/v1/customers'));
    expectUnavailable(await request(origin, 'GET', '/readyz'));
    const keyed = { body: { name: 'After the outage' }, headers: { 'idempotency-key': 'outage-1' } };
    expectUnavailable(await request(origin, 'POST', '/v1/customers', keyed));

    // A network path that swallows packets: a bounded wait, then the same answer.
    await proxy.blackhole();
    const before = Date.now();
    expectUnavailable(await request(origin, 'GET', '/v1/customers?limit=2'));
    expect(Date.now() - before).toBeLessThan(15000);

    // Back again: the same process serves, and the failed POST's key was left free.
    await proxy.restore();
    let answer: Answer | undefined;
    await waitUntil(
      'the service answers again',
      async () => {
        answer = await request(origin, 'GET', '/v1/customers');
        return answer.status === 200;
      },
      20000,
    );
    expect(answer!.status).toBe(200);
    expect((await request(origin, 'GET', '/readyz')).status).toBe(200);
    const created = await request(origin, 'POST', '/v1/customers', keyed);
    expect(created.status).toBe(201);
    expect(created.headers['idempotent-replayed']).toBeUndefined();
    expect(server.child.exitCode).toBeNull();

    const rows = await blocker.query(`SELECT name FROM customers ORDER BY name`);
    expect(rows.rows).toEqual([{ name: 'After the outage' }]);
  }, 300000);
});
