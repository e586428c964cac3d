import type { TestApp } from './test-app';

/** Starts an analytics run through the API and waits until it is done; answers its id. */
export async function runAnalytics(t: TestApp, asOf: string): Promise<string> {
  const started = await t.admin().post('/v1/analytics/runs').send({ asOf });
  if (started.status !== 202) throw new Error(`run not started: ${started.status} ${started.text}`);
  for (let i = 0; i < 600; i++) {
    const res = await t.admin().get(`/v1/analytics/runs/${started.body.id}`);
    if (res.body.status === 'done') return res.body.id as string;
    if (res.body.status === 'failed') throw new Error(`run failed: ${JSON.stringify(res.body.error)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('run did not finish');
}

let orderNo = 0;

/** Shipped orders of the customer on the given days (YYYY-MM-DD), through the API. */
export async function buy(t: TestApp, customerId: string, days: string[], amount = '100.00') {
  const items = days.map((day) => ({
    externalId: `helper-order-${++orderNo}-${customerId.slice(-6)}`,
    customerId,
    orderedAt: `${day}T10:00:00Z`,
    amount,
    currency: 'USD',
    status: 'shipped',
  }));
  const res = await t.admin().post('/v1/orders/batch').send({ items });
  if (res.status !== 200) throw new Error(`orders failed: ${res.status} ${res.text}`);
}
