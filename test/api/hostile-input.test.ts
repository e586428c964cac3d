import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { countCustomers, createCustomer } from '../helpers/customers';
import { expectProblem, expectValidation } from '../helpers/problem';
import { ADMIN_KEY, createTestApp, type TestApp } from '../helpers/test-app';

// Hostile input (docs/api.md "Errors"): every refusal is a 4xx problem+json, never a 5xx, and
// text the database cannot store as sent is refused before any database access.

let t: TestApp;
let port: number;
let existing: { id: string; version: number } & Record<string, unknown>;
beforeAll(async () => {
  t = await createTestApp();
  existing = await createCustomer(t, { name: 'Untouchable', externalId: 'ERP-1', region: 'north' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as AddressInfo).port;
}, 120_000);
afterAll(async () => t.close());

async function expectUnchanged() {
  const res = await t.admin().get(`/v1/customers/${existing.id}`);
  expect(res.status).toBe(200);
  expect(res.body).toEqual(existing);
}

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends bytes Node's HTTP client refuses to send, and reads the whole answer until the server closes. */
function rawRequest(request: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    socket.end(request);
  });
}

function expectRawProblem(answer: RawAnswer, status: number, code: string) {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  expect(body).toEqual(
    expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      status,
      detail: expect.any(String),
      code,
    }),
  );
}

const get = (path: string, headers = '') =>
  `GET ${path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${ADMIN_KEY}\r\n${headers}Connection: close\r\n\r\n`;

describe('text the database cannot store is refused with 400 at its path', () => {
  test('a NUL in a body field', async () => {
    const before = await countCustomers(t);
    const res = await t.admin().post('/v1/customers').send({ name: 'Evil\u0000Corp' });
    const problem = expectValidation(res, 'body/name');
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors).toEqual([{ path: 'body/name', message: expect.stringMatching(/NUL/) }]);
    expect(await countCustomers(t)).toBe(before);
  });

  test('a NUL in an externalId of a batch row names the row', async () => {
    const before = await countCustomers(t);
    const items = [0, 1, 2, 3].map((n) => ({ externalId: `B-${n}`, name: `Row ${n}` }));
    items[3]!.name = 'Bad\u0000Row';
    items[2]!.externalId = 'B-\u00002';
    const res = await t.admin().post('/v1/customers/batch').send({ items });
    const problem = expectValidation(res, 'body/items/3/name', 'body/items/2/externalId');
    expect(problem.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'body/items/3/name', index: 3 })]),
    );
    expect(await countCustomers(t)).toBe(before);
  });

  test('a NUL in a custom field key or value', async () => {
    const before = await countCustomers(t);
    expectValidation(
      await t
        .admin()
        .post('/v1/customers')
        .send({ name: 'X', customFields: { 'a\u0000b': 'x' } }),
      'body/customFields/a\u0000b',
    );
    expectValidation(
      await t
        .admin()
        .post('/v1/customers')
        .send({ name: 'X', customFields: { note: 'x\u0000' } }),
      'body/customFields/note',
    );
    expect(await countCustomers(t)).toBe(before);
  });

  test('a NUL in a PATCH, a PUT by externalId and in an If-Match-guarded write', async () => {
    expectValidation(
      await t.admin().patch(`/v1/customers/${existing.id}`).send({ name: 'A\u0000' }),
      'body/name',
    );
    expectValidation(
      await t.admin().put('/v1/customers/external/ERP-1').send({ name: 'A\u0000' }),
      'body/name',
    );
    await expectUnchanged();
  });

  test('a NUL in a path parameter', async () => {
    expectValidation(await t.admin().get('/v1/customers/abc%00def'), 'params/id');
    expectValidation(await t.admin().get('/v1/customers/external/ERP%001'), 'params/externalId');
    expectValidation(
      await t.admin().put('/v1/customers/external/ERP%001').send({ name: 'X' }),
      'params/externalId',
    );
    expectValidation(await t.admin().get('/v1/products/sku/S%00KU'), 'params/sku');
    expectValidation(await t.admin().delete('/v1/customers/%00'), 'params/id');
    await expectUnchanged();
  });

  test('a NUL in a query value', async () => {
    expectValidation(await t.admin().get('/v1/customers?q=ab%00cd'), 'querystring/q');
    expectValidation(await t.admin().get('/v1/customers?tag=vip%00'), 'querystring/tag');
    expectValidation(
      await t.admin().get('/v1/orders?customerExternalId=E%001'),
      'querystring/customerExternalId',
    );
  });

  test('a lone UTF-16 surrogate in a body field, which PostgreSQL would store as U+FFFD', async () => {
    const before = await countCustomers(t);
    const res = await t
      .admin()
      .post('/v1/customers')
      .set('content-type', 'application/json')
      .send('{"name":"Half \\ud800 a pair"}');
    const problem = expectValidation(res, 'body/name');
    expect(problem.errors?.[0]?.message).toMatch(/surrogate/);
    expectValidation(
      await t
        .admin()
        .post('/v1/customers')
        .set('content-type', 'application/json')
        .send('{"name":"X","tags":["\\udc00"]}'),
      'body/tags/0',
    );
    expect(await countCustomers(t)).toBe(before);
  });

  test('a proper surrogate pair (an emoji, a rare CJK character) is kept', async () => {
    const name = 'Emoji 😀 and 𠀋';
    const created = await createCustomer(t, { name });
    expect(created.name).toBe(name);
    const read = await t.admin().get(`/v1/customers/${created.id}`);
    expect(read.body.name).toBe(name);
  });

  test('a NUL in an imported row fails that row, not the request', async () => {
    const ndjson = `${JSON.stringify({ externalId: 'IMP-1', name: 'ok' })}\n${JSON.stringify({ externalId: 'IMP-2', name: 'bad\u0000' })}\n`;
    const res = await t
      .admin()
      .post('/v1/imports?resource=customers')
      .set('content-type', 'application/x-ndjson')
      .send(ndjson);
    expect(res.status).toBe(201);
    expect(JSON.stringify(res.body)).toMatch(/NUL/);
    const bad = await t.admin().get('/v1/customers/external/IMP-2');
    expectProblem(bad, 404);
  });
});

describe('malformed URLs are 4xx problem+json', () => {
  test.each([
    ['a lone surrogate, percent-encoded', '/v1/customers/%ED%A0%80'],
    ['bad percent-encoding', '/v1/customers/%zz'],
    ['a truncated UTF-8 sequence', '/v1/customers/external/%E0%A4'],
  ])('%s', async (_label, path) => {
    const res = await t.admin().get(path);
    expectProblem(res, 400, 'malformed_url');
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
  });

  test('bad encoding in the query string', async () => {
    const res = await t.admin().get('/v1/customers?q=%ED%A0%80abc');
    expect(res.status).toBeLessThan(500);
    if (res.status >= 400) expectProblem(res, res.status);
  });

  test('an externalId of 200 characters fits the router; an absurdly long one is 414', async () => {
    expectProblem(
      await t.admin().get(`/v1/customers/external/${'x'.repeat(200)}`),
      404,
      'customer_not_found',
    );
    expectValidation(await t.admin().get(`/v1/customers/external/${'x'.repeat(201)}`), 'params/externalId');
    expectProblem(await t.admin().get(`/v1/customers/external/${'x'.repeat(3000)}`), 414, 'uri_too_long');
  });
});

describe('what Node refuses before Fastify sees it is a complete problem+json answer', () => {
  test('a URL over the header size limit is 431', async () => {
    expectRawProblem(
      await rawRequest(get(`/v1/customers?q=${'a'.repeat(20_000)}`)),
      431,
      'headers_too_large',
    );
  });

  test('a header over the size limit is 431', async () => {
    expectRawProblem(
      await rawRequest(get('/v1/customers', `Idempotency-Key: ${'k'.repeat(20_000)}\r\n`)),
      431,
      'headers_too_large',
    );
  });

  test('a NUL in a header value is 400', async () => {
    expectRawProblem(
      await rawRequest(get(`/v1/customers/${existing.id}`, 'If-None-Match: "v1\u0000"\r\n')),
      400,
      'malformed_request',
    );
    expectRawProblem(
      await rawRequest(
        `PATCH /v1/customers/${existing.id} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ADMIN_KEY}\r\n` +
          'If-Match: "v1\u0000"\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{"name":"Y"}',
      ),
      400,
      'malformed_request',
    );
    await expectUnchanged();
  });

  test('a request line that is not HTTP is 400', async () => {
    expectRawProblem(await rawRequest('NOT A REQUEST\r\n\r\n'), 400, 'malformed_request');
  });
});

describe('hostile headers, sizes, numbers and content types are 4xx problem+json', () => {
  test('an Idempotency-Key too long or with spaces is 400', async () => {
    const before = await countCustomers(t);
    expectProblem(
      await t.admin().post('/v1/customers').set('idempotency-key', 'k'.repeat(10_000)).send({ name: 'X' }),
      400,
      'invalid_idempotency_key',
    );
    expectProblem(
      await t.admin().post('/v1/customers').set('idempotency-key', 'has spaces').send({ name: 'X' }),
      400,
      'invalid_idempotency_key',
    );
    expect(await countCustomers(t)).toBe(before);
  });

  test('a huge If-Match is 412, not a crash', async () => {
    const res = await t
      .admin()
      .patch(`/v1/customers/${existing.id}`)
      .set('if-match', `"v${'9'.repeat(10_000)}"`)
      .send({ name: 'Y' });
    expectProblem(res, 412, 'precondition_failed');
    await expectUnchanged();
  });

  test('a query string of 12 KB is 400', async () => {
    expectValidation(await t.admin().get(`/v1/customers?q=${'a'.repeat(12_000)}`), 'querystring/q');
  });

  test('deeply nested JSON is 400', async () => {
    const depth = 200_000;
    const body = `{"name":"X","customFields":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
    const res = await t.admin().post('/v1/customers').set('content-type', 'application/json').send(body);
    expect(res.status).toBe(400);
    expectProblem(res, 400);
    const deepObject = `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`;
    expectProblem(
      await t.admin().post('/v1/customers').set('content-type', 'application/json').send(deepObject),
      400,
    );
  });

  test('prototype-pollution keys are refused and pollute nothing', async () => {
    const before = await countCustomers(t);
    expectProblem(
      await t
        .admin()
        .post('/v1/customers')
        .set('content-type', 'application/json')
        .send('{"name":"X","__proto__":{"polluted":true}}'),
      400,
      'malformed_json',
    );
    expectProblem(
      await t
        .admin()
        .post('/v1/customers')
        .set('content-type', 'application/json')
        .send('{"name":"X","constructor":{"prototype":{"polluted":true}}}'),
      400,
      'malformed_json',
    );
    expectValidation(
      await t.admin().post('/v1/customers').send({ name: 'X', constructor: 'x' }),
      'body/constructor',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await countCustomers(t)).toBe(before);
  });

  test('numbers beyond double range are 400', async () => {
    expectValidation(
      await t
        .admin()
        .post('/v1/customers')
        .set('content-type', 'application/json')
        .send('{"name":"X","starsOverride":{"stars":1e400,"reason":"r"}}'),
      'body/starsOverride/stars',
    );
    expectValidation(await t.admin().get('/v1/customers?clvMin=1e400'), 'querystring/clvMin');
    expectValidation(await t.admin().get('/v1/customers?limit=1e400'), 'querystring/limit');
  });

  test.each([
    ['text/plain', 'name=X'],
    ['application/xml', '<name>X</name>'],
    ['application/x-www-form-urlencoded', 'name=X'],
    [
      'multipart/form-data; boundary=x',
      '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nX\r\n--x--',
    ],
    ['application/json-patch+json', '[]'],
    ['not a media type', '{}'],
  ])('a body of %s is 415', async (type, body) => {
    const before = await countCustomers(t);
    const res = await t.admin().post('/v1/customers').set('content-type', type).send(body);
    expectProblem(res, 415);
    expect(await countCustomers(t)).toBe(before);
  });
});

describe('a bodyless route with Content-Type: application/json and no body', () => {
  test('DELETE and POST .../restore are accepted as if no body was sent', async () => {
    const victim = await createCustomer(t, { name: 'Deleted and back' });
    const deleted = await t
      .admin()
      .delete(`/v1/customers/${victim.id}`)
      .set('content-type', 'application/json');
    expect(deleted.status).toBe(204);
    const restored = await t
      .admin()
      .post(`/v1/customers/${victim.id}/restore`)
      .set('content-type', 'application/json');
    expect(restored.status).toBe(200);
    expect(restored.body.deletedAt).toBeNull();
    const key = await t
      .admin()
      .post('/v1/api-keys')
      .send({ name: 'to revoke', scopes: ['customers:read'] });
    expect(key.status).toBe(201);
    const revoked = await t
      .admin()
      .delete(`/v1/api-keys/${key.body.id as string}`)
      .set('content-type', 'application/json; charset=utf-8');
    expect(revoked.status).toBeLessThan(300);
  });

  test('a route that needs a body still answers 400 empty_body', async () => {
    expectProblem(
      await t.admin().post('/v1/customers').set('content-type', 'application/json').send(''),
      400,
      'empty_body',
    );
    expectProblem(
      await t.admin().patch(`/v1/customers/${existing.id}`).set('content-type', 'application/json').send(''),
      400,
      'empty_body',
    );
    await expectUnchanged();
  });
});
