import http from 'node:http';
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
 * SIGTERM with requests in flight: every one is answered, each on a keep-alive connection that
 * the answer then closes, the database is closed, and the process exits 0 right after the last
 * answer (src/connection-drain.ts, src/server.ts).
 */
const enabled = serverTestsEnabled('the SIGTERM test');
const d = enabled ? describe : describe.skip;

d('SIGTERM with requests in flight', () => {
  let database: ServerDatabase;
  let blocker: pg.Client;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    database = await createServerDatabase();
  });

  afterAll(async () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    await server?.exited;
    await blocker?.end().catch(() => undefined);
    await database?.drop();
  });

  it('answers them all, closes their connections and the database, and exits 0 at once', async () => {
    server = await startServer({ DATABASE_URL: database.url });
    const agents = [1, 2].map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
    // Each connection first serves a request, so both are established keep-alive connections.
    for (const agent of agents) {
      const warm = await request(server.origin, 'GET', '/v1/customers', { agent });
      expect(warm.status).toBe(200);
      expect(warm.headers.connection).toBe('keep-alive');
    }

    blocker = await database.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE customers IN SHARE MODE');
    const inFlight = agents.map((agent, n) =>
      request(server!.origin, 'POST', '/v1/customers', { body: { name: `In flight ${n}` }, agent }),
    );
    await waitUntil('both requests wait on the lock', () => someoneWaitsOn(blocker, 'customers', 2));

    server.child.kill('SIGTERM');
    await server.waitForLog(/"msg":"shutting down"/);
    // Hold the requests a little longer: the process must wait for them, not exit.
    await new Promise((r) => setTimeout(r, 500));
    expect(server.child.exitCode).toBeNull();
    await blocker.query('COMMIT');

    const answers = await Promise.all(inFlight);
    const lastAnswer = Date.now();
    for (const answer of answers) {
      expect(answer.status).toBe(201);
      expect(answer.headers.connection).toBe('close');
    }
    // The server ends each connection after its answer.
    await Promise.all(
      answers.map(
        (answer) =>
          new Promise<void>((resolve) => {
            if (answer.socket.destroyed) resolve();
            else answer.socket.once('close', () => resolve());
          }),
      ),
    );

    const exit = await server.exited;
    expect(exit.code).toBe(0);
    expect(exit.at - lastAnswer).toBeLessThan(2000);
    expect(server.output()).toMatch(/"msg":"shut down"/);
    for (const agent of agents) agent.destroy();

    // Both writes were made, and the process left no session behind.
    const written = await blocker.query(
      `SELECT count(*)::int AS n FROM customers WHERE name LIKE 'In flight %'`,
    );
    expect(written.rows[0].n).toBe(2);
    await waitUntil(
      'the server has no session left',
      async () => {
        const sessions = await blocker.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        return sessions.rows[0].n === 0;
      },
      2000,
    );
  }, 300000);
});
