import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * Real answers checked against the served document, as a validating proxy or a contract
 * tester would: the status is documented for the operation, the body validates against the
 * documented schema of its media type, a problem's code is one the response lists, and every
 * header the response marks required is present and of its schema.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the parsed document is walked by key
type Json = Record<string, any>;
const DOC_ID = 'https://crm.invalid/openapi.json';

let t: TestApp;
let document: Json;
let ajv: Ajv2020;
const checked = new Set<string>();

beforeAll(async () => {
  // Three failed authentications from one address make it 429: the 429 test runs last of those that call.
  t = await createTestApp({ RATE_LIMIT_MAX: '1000', AUTH_FAILURE_MAX: '3' });
  document = (await t.http().get('/openapi.json').expect(200)).body;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: DOC_ID });
});
afterAll(async () => t.close());

const resolve = (ref: string): Json =>
  ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((node: Json, part) => node[part], document);

const absolute = (schema: Json): Json =>
  JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${DOC_ID}#/components/`));

const validators = new Map<string, ReturnType<Ajv2020['compile']>>();
function validate(schema: Json, value: unknown, what: string): void {
  const key = JSON.stringify(schema);
  const check = validators.get(key) ?? ajv.compile(absolute(schema));
  validators.set(key, check);
  if (!check(value)) throw new Error(`${what}: ${ajv.errorsText(check.errors)}\n${JSON.stringify(value)}`);
}

/** Checks one answer of `method path` (the path as the document writes it) against the document. */
function conforms(method: string, path: string, response: Response): void {
  const what = `${method.toUpperCase()} ${path} -> ${response.status}`;
  const operation = document.paths[path]?.[method];
  if (!operation) throw new Error(`${method} ${path} is not in the document`);
  const documented = operation.responses[String(response.status)];
  if (!documented)
    throw new Error(`${what} is not documented (${Object.keys(operation.responses).join(', ')})`);
  checked.add(`${method} ${path} ${response.status}`);

  for (const [name, header] of Object.entries(documented.headers ?? {}) as Array<[string, Json]>) {
    const spec = header.$ref ? resolve(header.$ref) : header;
    const value = response.headers[name.toLowerCase()];
    if (value === undefined) {
      if (spec.required) throw new Error(`${what}: required header ${name} is missing`);
      continue;
    }
    const typed = spec.schema.type === 'integer' ? Number(value) : value;
    validate(spec.schema, typed, `${what} header ${name}`);
  }

  const contentType = (response.headers['content-type'] ?? '').split(';')[0]!.trim();
  if (!documented.content) {
    expect({ what, contentType: response.headers['content-type'], length: response.text ?? '' }).toEqual({
      what,
      contentType: undefined,
      length: '',
    });
    return;
  }
  const media = documented.content[contentType];
  if (!media) throw new Error(`${what}: ${contentType} is not documented`);
  const body = contentType.endsWith('json')
    ? response.body
    : typeof response.body === 'string'
      ? response.body
      : response.text;
  validate(media.schema, body, what);
  if (contentType === 'application/problem+json') {
    const codes = Object.keys(media.examples ?? {});
    if (!codes.includes(body.code))
      throw new Error(`${what}: code ${body.code} is not among ${codes.join(', ')}`);
  }
}

test('customers, contacts and relationships answer as documented', async () => {
  const created = await t
    .admin()
    .post('/v1/customers')
    .send({ name: '上海明德茶业有限公司', kind: 'organization' });
  conforms('post', '/v1/customers', created);
  const id = created.body.id as string;
  const read = await t.admin().get(`/v1/customers/${id}`);
  conforms('get', '/v1/customers/{id}', read);
  const notModified = await t.admin().get(`/v1/customers/${id}`).set('if-none-match', read.headers.etag!);
  expect(notModified.status).toBe(304);
  expect(notModified.headers['content-length']).toBeUndefined();
  conforms('get', '/v1/customers/{id}', notModified);
  conforms('get', '/v1/customers', await t.admin().get('/v1/customers?limit=1'));
  conforms(
    'get',
    '/v1/customers/{id}',
    await t.admin().get('/v1/customers/0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f'),
  );
  conforms(
    'patch',
    '/v1/customers/{id}',
    await t.admin().patch(`/v1/customers/${id}`).set('if-match', '"v99"').send({ region: 'east' }),
  );
  conforms(
    'patch',
    '/v1/customers/{id}',
    await t.admin().patch(`/v1/customers/${id}`).send({ region: 'east' }),
  );
  conforms(
    'put',
    '/v1/customers/external/{externalId}',
    await t.admin().put('/v1/customers/external/ERP-P-31007').send({ name: '王芳' }),
  );
  const other = await t
    .admin()
    .post('/v1/customers')
    .send({ name: '明德茶业（杭州）分公司', kind: 'organization' });
  conforms(
    'post',
    '/v1/customers/{id}/contacts',
    await t.admin().post(`/v1/customers/${id}/contacts`).send({ name: '李娜', role: '采购经理' }),
  );
  conforms(
    'post',
    '/v1/customers/{id}/relationships',
    await t
      .admin()
      .post(`/v1/customers/${id}/relationships`)
      .send({ type: 'parent-company', otherCustomerId: other.body.id }),
  );
  conforms(
    'get',
    '/v1/customers/{id}/relationships',
    await t.admin().get(`/v1/customers/${id}/relationships`),
  );
  conforms('get', '/v1/customers/{id}/history', await t.admin().get(`/v1/customers/${id}/history`));
  conforms('delete', '/v1/customers/{id}', await t.admin().delete(`/v1/customers/${other.body.id}`));
});

test('products, orders and payments answer as documented, 422s included', async () => {
  const customer = await t
    .admin()
    .post('/v1/customers')
    .send({ name: 'Emily Carter', externalId: 'ERP-P-31008' });
  const product = await t
    .admin()
    .post('/v1/products')
    .send({ sku: 'TEA-LJ-250', name: '西湖龙井 250g', listPrice: '129.90', currency: 'CNY' });
  conforms('post', '/v1/products', product);
  conforms('get', '/v1/products/sku/{sku}', await t.admin().get('/v1/products/sku/TEA-LJ-250'));
  const order = {
    customerExternalId: 'ERP-P-31008',
    orderedAt: '2026-11-20T02:30:00Z',
    amount: '259.80',
    currency: 'USD',
    fxRate: '1',
    lines: [{ sku: 'TEA-LJ-250', quantity: 2, unitPrice: '129.90' }],
  };
  const placed = await t.admin().post('/v1/orders').send(order);
  conforms('post', '/v1/orders', placed);
  conforms('get', '/v1/orders/{id}', await t.admin().get(`/v1/orders/${placed.body.id}`));
  conforms('get', '/v1/orders', await t.admin().get('/v1/orders?limit=5'));
  conforms(
    'post',
    '/v1/orders',
    await t
      .admin()
      .post('/v1/orders')
      .send({ ...order, customerExternalId: 'ERP-C-NOBODY' }),
  );
  conforms(
    'post',
    '/v1/orders',
    await t
      .admin()
      .post('/v1/orders')
      .send({ ...order, amount: '299.00' }),
  );
  conforms(
    'post',
    '/v1/orders/batch',
    await t
      .admin()
      .post('/v1/orders/batch')
      .send({ items: [order, order] }),
  );
  const payment = await t.admin().post('/v1/payments').send({
    customerId: customer.body.id,
    amount: '259.80',
    currency: 'USD',
    fxRate: '1',
    receivedAt: '2026-11-21T03:00:00Z',
  });
  conforms('post', '/v1/payments', payment);
  conforms('get', '/v1/payments/{id}', await t.admin().get(`/v1/payments/${payment.body.id}`));
  conforms(
    'post',
    '/v1/payments/{id}/refunds',
    await t.admin().post(`/v1/payments/${payment.body.id}/refunds`).send({ amount: '9999.00' }),
  );
  conforms(
    'get',
    '/v1/customers/{id}/receivables',
    await t.admin().get(`/v1/customers/${customer.body.id}/receivables`),
  );
  conforms(
    'get',
    '/v1/customers/{id}/credit',
    await t.admin().get(`/v1/customers/${customer.body.id}/credit`),
  );
  conforms(
    'post',
    '/v1/customers/{id}/churn',
    await t.admin().post(`/v1/customers/${customer.body.id}/churn`).send({ reason: 'price' }),
  );
});

test('events, analytics, churn, imports, exports and api keys answer as documented', async () => {
  conforms('get', '/v1/events', await t.admin().get('/v1/events?limit=3'));
  conforms('get', '/v1/analytics/segments', await t.admin().get('/v1/analytics/segments'));
  const run = await t.admin().post('/v1/analytics/runs').send({});
  conforms('post', '/v1/analytics/runs', run);
  let status = run.body.status as string;
  for (let i = 0; i < 100 && status !== 'done' && status !== 'failed'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const polled = await t.admin().get(`/v1/analytics/runs/${run.body.id}`);
    conforms('get', '/v1/analytics/runs/{id}', polled);
    status = polled.body.status;
  }
  conforms('get', '/v1/analytics/models/clv', await t.admin().get('/v1/analytics/models/clv'));
  conforms('get', '/v1/analytics/churn', await t.admin().get('/v1/analytics/churn'));
  conforms('get', '/v1/analytics/churn', await t.admin().get('/v1/analytics/churn?from=2026-12&to=2026-01'));
  const file = `${JSON.stringify({ externalId: 'ERP-P-31020', name: '陈静' })}\n`;
  const job = await t
    .admin()
    .post('/v1/imports?resource=customers')
    .set('content-type', 'application/x-ndjson')
    .send(file);
  conforms('post', '/v1/imports', job);
  conforms('get', '/v1/imports/{id}', await t.admin().get(`/v1/imports/${job.body.id}`));
  const asText = (res: Response, done: (error: Error | null, body: string) => void) => {
    let text = '';
    const stream = res as unknown as NodeJS.ReadableStream;
    stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    stream.on('end', () => done(null, text));
  };

  conforms(
    'get',
    '/v1/exports/{resource}',
    await t.admin().get('/v1/exports/customers').buffer(true).parse(asText),
  );
  const key = await t
    .admin()
    .post('/v1/api-keys')
    .send({ name: 'ERP 同步', scopes: ['customers:read'] });
  conforms('post', '/v1/api-keys', key);
  conforms('get', '/v1/api-keys', await t.admin().get('/v1/api-keys'));
  conforms('get', '/v1/customers', await t.as(key.body.key).get('/v1/customers'));
  conforms(
    'post',
    '/v1/customers',
    await t.as(key.body.key).post('/v1/customers').send({ name: 'Oliver Bennett' }),
  );
});

test('errors of every kind answer as documented: 400, 401, 404, 409, 412, 415, 422', async () => {
  conforms('post', '/v1/customers', await t.admin().post('/v1/customers').send({ name: '' }));
  conforms(
    'post',
    '/v1/customers',
    await t.admin().post('/v1/customers').set('content-type', 'application/json').send('{"name":'),
  );
  conforms(
    'post',
    '/v1/customers',
    await t.admin().post('/v1/customers').set('content-type', 'text/plain').send('陈静'),
  );
  conforms('get', '/v1/customers', await t.http().get('/v1/customers'));
  conforms('get', '/v1/customers', await t.admin().get('/v1/customers?cursor=not-a-cursor'));
  conforms('get', '/v1/orders/{id}', await t.admin().get('/v1/orders/0192f3c5-1e2d-7a4b-9c3d-2b1a0f9e8d7c'));
  const first = await t.admin().post('/v1/customers').set('idempotency-key', 'k-1').send({ name: '王芳' });
  conforms('post', '/v1/customers', first);
  const replay = await t.admin().post('/v1/customers').set('idempotency-key', 'k-1').send({ name: '王芳' });
  expect(replay.headers['idempotent-replayed']).toBe('true');
  conforms('post', '/v1/customers', replay);
  conforms(
    'post',
    '/v1/customers',
    await t.admin().post('/v1/customers').set('idempotency-key', 'k-1').send({ name: '王芳芳' }),
  );
  conforms(
    'post',
    '/v1/customers/{id}/restore',
    await t.admin().post(`/v1/customers/${first.body.id}/restore`),
  );
});

test('429 answers as documented, with Retry-After', async () => {
  let last: Response | undefined;
  for (let i = 0; i < 4; i++) last = await t.as('crm_not-a-key').get('/v1/customers');
  expect(last!.status).toBe(429);
  conforms('get', '/v1/customers', last!);
});

test('every error response has its own examples and every success response a description and an example', () => {
  const problems: string[] = [];
  for (const [path, item] of Object.entries(document.paths) as Array<[string, Json]>) {
    for (const [method, operation] of Object.entries(item) as Array<[string, Json]>) {
      const name = `${method.toUpperCase()} ${path}`;
      if (!Array.isArray(operation['x-required-scopes'])) problems.push(`${name}: no x-required-scopes`);
      for (const [status, response] of Object.entries(operation.responses) as Array<[string, Json]>) {
        if (response.description === 'Default Response') problems.push(`${name} ${status}: no description`);
        for (const [type, media] of Object.entries(response.content ?? {}) as Array<[string, Json]>) {
          if (Number(status) >= 400) {
            const examples = Object.entries(media.examples ?? {}) as Array<[string, Json]>;
            if (examples.length === 0) problems.push(`${name} ${status}: no example`);
            for (const [code, example] of examples) {
              if (example.value.status !== Number(status) || example.value.code !== code)
                problems.push(
                  `${name} ${status}: example ${code} is a ${example.value.status} ${example.value.code}`,
                );
              validate(media.schema, example.value, `${name} ${status} example ${code}`);
            }
          } else if (media.example === undefined) problems.push(`${name} ${status} ${type}: no example`);
          else if (type === 'application/json') {
            validate(media.schema, media.example, `${name} ${status} example`);
            if (JSON.stringify(media.example).includes('"string"'))
              problems.push(`${name} ${status}: a placeholder "string" in the example`);
          }
        }
      }
    }
  }
  expect(problems).toEqual([]);
});

test('the sample covers every resource', () => {
  const prefixes = [
    '/v1/customers',
    '/v1/products',
    '/v1/orders',
    '/v1/payments',
    '/v1/customers/{id}/contacts',
    '/v1/customers/{id}/relationships',
    '/v1/events',
    '/v1/analytics',
    '/v1/analytics/churn',
    '/v1/imports',
    '/v1/exports',
    '/v1/api-keys',
  ];
  const paths = [...checked].map((entry) => entry.split(' ')[1]!);
  for (const prefix of prefixes)
    expect({ prefix, hit: paths.some((p) => p.startsWith(prefix)) }).toEqual({ prefix, hit: true });
  const statuses = new Set([...checked].map((entry) => entry.split(' ')[2]));
  for (const status of [
    '200',
    '201',
    '202',
    '204',
    '304',
    '400',
    '401',
    '404',
    '409',
    '412',
    '415',
    '422',
    '429',
  ])
    expect({ status, hit: statuses.has(status) }).toEqual({ status, hit: true });
});
