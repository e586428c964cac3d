import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { DEFAULT_BUSINESS, syntheticBusiness } from '../src/demo/synthetic-business';

/**
 * `npm run demo`: fills a running server with a synthetic business through the public batch
 * endpoints (customers, then orders, then payments), 1,000 rows a request.
 *   --url      the API (default http://127.0.0.1:3000, or CRM_URL)
 *   --key      an API key with write scopes (default CRM_API_KEY, else BOOTSTRAP_API_KEY)
 *   --customers N (default 10,000; about ten orders each over two years)
 *   --seed N, --prefix P (external-id prefix; a rerun with the same ones changes nothing)
 */
const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.CRM_URL ?? 'http://127.0.0.1:3000' },
    key: { type: 'string', default: process.env.CRM_API_KEY ?? process.env.BOOTSTRAP_API_KEY },
    customers: { type: 'string', default: String(DEFAULT_BUSINESS.customers) },
    seed: { type: 'string', default: String(DEFAULT_BUSINESS.seed) },
    prefix: { type: 'string', default: DEFAULT_BUSINESS.prefix },
    concurrency: { type: 'string', default: '2' },
  },
});

const BATCH = 1000;

async function post(path: string, items: unknown[]): Promise<void> {
  const response = await fetch(`${values.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${values.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ items }),
  });
  if (!response.ok)
    throw new Error(`${path} answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
}

async function load(label: string, path: string, rows: unknown[], concurrency: number): Promise<void> {
  const bar = new SingleBar(
    { format: `${label.padEnd(10)} {bar} {value}/{total} rows  {duration}s` },
    Presets.shades_classic,
  );
  bar.start(rows.length, 0);
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const start = next;
      next += BATCH;
      const chunk = rows.slice(start, start + BATCH);
      await post(path, chunk);
      bar.increment(chunk.length);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    bar.stop();
  }
}

async function main(): Promise<void> {
  if (!values.key)
    throw new Error(
      'Pass --key or set CRM_API_KEY (a key with customers, orders and payments write scopes).',
    );
  const business = syntheticBusiness({
    ...DEFAULT_BUSINESS,
    customers: Number(values.customers),
    seed: Number(values.seed),
    prefix: values.prefix,
  });
  const concurrency = Math.max(1, Number(values.concurrency));
  console.log(
    `Synthetic business: ${business.customers.length} customers, ${business.orders.length} orders, ${business.payments.length} payments`,
  );
  // Customers first: orders and payments refer to them by external id.
  await load('customers', '/v1/customers/batch', business.customers, concurrency);
  await load('orders', '/v1/orders/batch', business.orders, concurrency);
  // Payments in date order, one request at a time, so each is applied to the orders open then.
  await load('payments', '/v1/payments/batch', business.payments, 1);
  console.log('Done. Try: POST /v1/analytics/runs, then GET /v1/analytics/segments.');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
