import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { DEFAULT_BUSINESS, syntheticBusiness } from '../src/demo/synthetic-business';

const HELP = `npm run demo -- [options]: fills a running server with a synthetic business through
the public batch endpoints (customers, then orders, then payments), 1,000 rows a request.

  --url URL          the API (default: CRM_URL, else http://127.0.0.1:3000)
  --key KEY          a key with customers:write, orders:write and payments:write, or admin
                     (default: CRM_API_KEY, else BOOTSTRAP_API_KEY)
  --customers N      customers to make (default ${DEFAULT_BUSINESS.customers}; about ten orders each over two years)
  --seed N           random seed (default ${DEFAULT_BUSINESS.seed})
  --prefix P         external-id prefix (default ${DEFAULT_BUSINESS.prefix}); a rerun with the same
                     seed and prefix changes nothing
  --concurrency N    requests in flight for customers and orders (default 2)
  -h, --help         this text
`;

/** `npm run demo` (README "Customer value in three calls"); the options are in HELP. */
const { values } = (() => {
  try {
    return parseArgs({
      options: {
        url: { type: 'string', default: process.env.CRM_URL ?? 'http://127.0.0.1:3000' },
        key: { type: 'string', default: process.env.CRM_API_KEY ?? process.env.BOOTSTRAP_API_KEY },
        customers: { type: 'string', default: String(DEFAULT_BUSINESS.customers) },
        seed: { type: 'string', default: String(DEFAULT_BUSINESS.seed) },
        prefix: { type: 'string', default: DEFAULT_BUSINESS.prefix },
        concurrency: { type: 'string', default: '2' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    // An unknown or malformed option: say which, and how to call, without a stack trace.
    process.stderr.write(`${(error as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
})();

const BATCH = 1000;

async function post(path: string, items: unknown[]): Promise<void> {
  const response = await fetch(`${values.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${values.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ items }),
  }).catch((error: unknown) => {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? String(error);
    throw new Error(`Cannot reach ${values.url} (${cause}): is the server running? Set CRM_URL or --url.`);
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

function positiveInteger(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--${name} must be a positive whole number, not "${value}".`);
  return n;
}

async function main(): Promise<void> {
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (!values.key)
    throw new Error(
      'Pass --key or set CRM_API_KEY (a key with customers, orders and payments write scopes).',
    );
  const business = syntheticBusiness({
    ...DEFAULT_BUSINESS,
    customers: positiveInteger('customers', values.customers),
    seed: Number(values.seed),
    prefix: values.prefix,
  });
  const concurrency = positiveInteger('concurrency', values.concurrency);
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
