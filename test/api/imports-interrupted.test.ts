import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable, pipeline } from 'node:stream';
import { ADMIN_KEY, createTestApp, createTestAppOn, type TestApp } from '../helpers/test-app';

// Thousands of rows on a shared, busy machine need more than the default 30 s.
jest.setTimeout(180_000);
let t: TestApp;
let port: number;

const count = async (table: string, prefix: string) => {
  const [row] = await t.db
    .knex(table)
    .where('external_id', 'like', `${prefix}%`)
    .count<Array<{ count: string | number }>>('* as count');
  return Number(row?.count ?? 0);
};
const customerLines = (prefix: string, n: number) =>
  Array.from(
    { length: n },
    (_, i) => `${JSON.stringify({ externalId: `${prefix}-${i}`, name: `Customer ${i}` })}\n`,
  );

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const newestJob = async () =>
  ((await t.admin().get('/v1/imports?limit=1')).body.data[0] ?? {}) as Record<string, unknown>;
const job = async (id: string) => (await t.admin().get(`/v1/imports/${id}`)).body as Record<string, unknown>;

/**
 * An upload through a real socket whose body is a Readable the test feeds by hand: `push`
 * sends lines, `fail` destroys it with an error (pipeline then tears the request down, as a
 * crashed client or a cut connection would), `end` finishes it.
 */
function openUpload(path: string) {
  const source = new Readable({ read() {} });
  const request = http.request({
    host: '127.0.0.1',
    port,
    path,
    method: 'POST',
    agent: false,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/x-ndjson' },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    request.on('error', reject);
  });
  response.catch(() => undefined);
  pipeline(source, request, () => undefined);
  return {
    push: (lines: string[]) => lines.forEach((line) => source.push(line)),
    fail: () => source.destroy(new Error('the client crashed')),
    end: () => source.push(null),
    response,
  };
}

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as AddressInfo).port;
});
afterAll(async () => t.close());

test('a large file streams in batches of 1,000; progress is visible while it arrives', async () => {
  const lines = customerLines('BIG', 2500);
  const upload = openUpload('/v1/imports?resource=customers');
  upload.push(lines.slice(0, 1500));
  const during = await waitFor(
    newestJob,
    (j) => j.rowsWritten === 1000 && j.linesRead === 1500,
    'the first batch',
  );
  expect(during).toEqual(expect.objectContaining({ status: 'receiving', lastCommittedLine: 1000 }));
  expect(await count('customers', 'BIG-')).toBe(1000);
  upload.push(lines.slice(1500));
  upload.end();
  const res = await upload.response;
  expect(res.status).toBe(201);
  expect(JSON.parse(res.body)).toEqual(
    expect.objectContaining({ status: 'done', linesRead: 2500, rowsCreated: 2500, lastCommittedLine: 2500 }),
  );
  expect(await count('customers', 'BIG-')).toBe(2500);
});

test('an upload that breaks off keeps its committed batches, none half-written; resume and re-run add no duplicates', async () => {
  const lines = customerLines('CUT', 40);
  const upload = openUpload('/v1/imports?resource=customers&batchSize=10');
  upload.push(lines.slice(0, 25));
  // 25 lines read: two batches committed, five rows pending in memory.
  const during = await waitFor(newestJob, (j) => j.linesRead === 25, 'lines read');
  expect(during).toEqual(
    expect.objectContaining({ status: 'receiving', rowsWritten: 20, lastCommittedLine: 20 }),
  );
  upload.fail();
  await expect(upload.response).rejects.toThrow();

  const id = during.id as string;
  const stopped = await waitFor(
    () => job(id),
    (j) => j.status !== 'receiving',
    'the job to stop',
  );
  expect(stopped).toEqual(
    expect.objectContaining({ status: 'interrupted', rowsWritten: 20, lastCommittedLine: 20, linesRead: 20 }),
  );
  expect(stopped.error).toMatch(/upload ended before it was complete/);
  // Exactly the committed batches: the five pending rows left nothing behind.
  expect(await count('customers', 'CUT-')).toBe(20);
  const written = await t.db.knex('customers').where('external_id', 'like', 'CUT-%').pluck('external_id');
  expect(new Set(written)).toEqual(new Set(Array.from({ length: 20 }, (_, i) => `CUT-${i}`)));

  const resumed = await t
    .admin()
    .post(`/v1/imports?resource=customers&batchSize=10&jobId=${id}`)
    .set('content-type', 'application/x-ndjson')
    .send(lines.join(''));
  expect(resumed.status).toBe(200);
  expect(resumed.body).toEqual(
    expect.objectContaining({
      id,
      status: 'done',
      linesRead: 40,
      rowsCreated: 40,
      rowsUnchanged: 0,
      lastCommittedLine: 40,
      error: null,
    }),
  );
  expect(await count('customers', 'CUT-')).toBe(40);

  const rerun = await t
    .admin()
    .post('/v1/imports?resource=customers&batchSize=10')
    .set('content-type', 'application/x-ndjson')
    .send(lines.join(''));
  expect(rerun.body).toEqual(expect.objectContaining({ status: 'done', rowsUnchanged: 40, rowsCreated: 0 }));
  expect(await count('customers', 'CUT-')).toBe(40);
});

test('a server that stops mid-import: on restart the job is interrupted, and it resumes', async () => {
  const lines = customerLines('CRASH', 30);
  const upload = openUpload('/v1/imports?resource=customers&batchSize=10');
  upload.push(lines.slice(0, 15));
  const during = await waitFor(newestJob, (j) => j.linesRead === 15, 'lines read');
  const id = during.id as string;
  // What a restarted server does at startup (src/server.ts), while the old upload never finished.
  const restarted = await createTestAppOn(t.db);
  try {
    // Another instance starting while this one still receives leaves the job alone...
    expect(await restarted.app.services.imports.recoverInterrupted()).toBe(0);
    // ...and once the receiving process is gone (its instance key held by nobody), fails it.
    await t.db.knex('import_jobs').where({ id }).update({ owner_instance: 2_000_000_001 });
    expect(await restarted.app.services.imports.recoverInterrupted()).toBe(1);
    const row = await t.db.knex('import_jobs').where({ id }).first();
    expect(row).toEqual(
      expect.objectContaining({ status: 'interrupted', rows_written: 10, last_committed_line: 10 }),
    );
    expect(await count('customers', 'CRASH-')).toBe(10);
    upload.fail();
    await expect(upload.response).rejects.toThrow();
    await waitFor(
      () => job(id),
      (j) => j.status !== 'receiving',
      'the old upload to stop',
    );

    const resumed = await restarted
      .admin()
      .post(`/v1/imports?resource=customers&batchSize=10&jobId=${id}`)
      .set('content-type', 'application/x-ndjson')
      .send(lines.join(''));
    expect(resumed.status).toBe(200);
    expect(resumed.body).toEqual(
      expect.objectContaining({ status: 'done', rowsCreated: 30, lastCommittedLine: 30 }),
    );
    expect(await count('customers', 'CRASH-')).toBe(30);
  } finally {
    await restarted.close();
  }
});

test('a job still receiving cannot take a second upload', async () => {
  const upload = openUpload('/v1/imports?resource=customers&batchSize=10');
  upload.push(customerLines('BUSY', 3));
  const during = await waitFor(newestJob, (j) => j.linesRead === 3, 'lines read');
  const second = await t
    .admin()
    .post(`/v1/imports?resource=customers&jobId=${String(during.id)}`)
    .set('content-type', 'application/x-ndjson')
    .send(customerLines('BUSY', 3).join(''));
  expect(second.status).toBe(409);
  expect(second.body.code).toBe('import_in_progress');
  upload.end();
  expect((await upload.response).status).toBe(201);
});
