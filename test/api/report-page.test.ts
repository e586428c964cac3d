import { LifecycleRepository } from '../../src/modules/lifecycle/repository';
import { createCustomer } from '../helpers/customers';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * GET /v1/analytics/report.html and POST /v1/analytics/report-links: the page by key and by
 * signed link, the link's limits (range, expiry, signature, route), and the figures on it for
 * a small scripted business: two customers, three orders.
 */

let now = new Date('2026-08-15T12:00:00Z');
let t: TestApp;
let reader: string;

beforeAll(async () => {
  t = await createTestApp(
    { REPORT_LINK_SECRET: 'report-link-secret-for-the-tests-0123456789' },
    { clock: () => now },
  );
  reader = await t.keyWith('analytics:read');
  const a = (await createCustomer(t, { name: 'A' })).id;
  const b = (await createCustomer(t, { name: 'B' })).id;
  const lifecycle = new LifecycleRepository(t.db.knex);
  await t.db.knex.transaction(async (trx) => {
    // A active since May; B acquired in June: 2 customers, 1 new, churn rate 0 of 1.
    for (const [customerId, at] of [
      [a, '2026-05-03T00:00:00Z'],
      [b, '2026-06-10T00:00:00Z'],
    ] as const)
      await lifecycle.record(
        [
          {
            customerId,
            kind: 'churn_status',
            from: null,
            to: 'active',
            at: new Date(at),
            cause: 'purchase',
            reason: null,
          },
        ],
        trx,
      );
  });
  const items = [
    [a, '2026-05-03', '1000.00'],
    [a, '2026-06-02', '1200.50'],
    [b, '2026-06-10', '99.50'],
  ].map(([customerId, day, amount], i) => ({
    externalId: `page-order-${i}`,
    customerId,
    orderedAt: `${day}T09:00:00Z`,
    amount,
    currency: 'USD',
  }));
  expect((await t.admin().post('/v1/orders/batch').send({ items })).status).toBe(200);
});
afterAll(async () => t.close());

const JUNE = 'from=2026-06-01&to=2026-06-30';

/** The text of a table row: its cells without tags. */
function row(html: string, label: string): string[] {
  const match = new RegExp(`<tr><th scope="row">${label}</th>(.*?)</tr>`).exec(html);
  if (!match) throw new Error(`no row ${label}`);
  return [...match[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));
}

describe('GET /v1/analytics/report.html', () => {
  it('answers the KPIs as one static printable page with the API key', async () => {
    const res = await t.as(reader).get(`/v1/analytics/report.html?${JUNE}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const html = res.text;
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('@media print');
    expect(html).toContain('<h1>Customer KPIs 2026-06-01 \u2013 2026-06-30</h1>');
    expect(html).toContain('Compared with 2026-05-02 \u2013 2026-05-31');
    // June 1,200.50 + 99.50; May 1,000.00: +300.00, +30.0%.
    expect(row(html, 'Revenue').slice(0, 3)).toEqual([
      '1,300.00 USD',
      '1,000.00 USD',
      '+300.00 USD (+30.0%)',
    ]);
    expect(row(html, 'Orders').slice(0, 3)).toEqual(['2', '1', '+1 (+100.0%)']);
    expect(row(html, 'New customers').slice(0, 3)).toEqual(['1', '1', '\u00b10 (+0.0%)']);
    expect(row(html, 'Customers').slice(0, 3)).toEqual(['2', '1', '+1 (+100.0%)']);
    // A was active at June's start and is still: 0%; nobody was active at May 2.
    expect(row(html, 'Churn rate').slice(0, 3)).toEqual([
      '0.0%',
      'n/a (no_active_customers_at_start)',
      'n/a',
    ]);
    expect(row(html, 'CSAT \\(1-5\\)')[0]).toBe('n/a (no_csat_responses)');
    // The definitions come along.
    expect(row(html, 'Average order')[3]).toContain('revenue / orders');
    // The charts inline as SVG images; those of the latest analytics run say there is none yet.
    expect(html).not.toContain('class="charts-missing"');
    const churn =
      /<img alt="Churn and win-back per month" width="800" height="500" src="data:image\/svg\+xml;base64,([^"]+)">/.exec(
        html,
      );
    expect(Buffer.from(churn![1]!, 'base64').toString('utf8')).toMatch(/^<svg[\s\S]*<\/svg>$/);
    expect(html).toContain(
      '<figcaption>Pareto: cumulative share of revenue</figcaption><p class="null">Not available: no_analytics_run.</p>',
    );
  });

  it('speaks Chinese to Accept-Language: zh-CN, charts included, with the same figures', async () => {
    const res = await t
      .as(reader)
      .get(`/v1/analytics/report.html?${JUNE}`)
      .set('accept-language', 'zh-CN,zh;q=0.9,en;q=0.5');
    expect(res.status).toBe(200);
    expect(res.headers['content-language']).toBe('zh-CN');
    expect(res.headers['vary']).toMatch(/accept-language/i);
    const html = res.text;
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<h1>客户指标 2026-06-01 \u2013 2026-06-30</h1>');
    expect(html).toContain('对比期间 2026-05-02 \u2013 2026-05-31');
    expect(html).toContain('<th scope="col">本期</th>');
    expect(row(html, '销售额').slice(0, 3)).toEqual(['1,300.00 USD', '1,000.00 USD', '+300.00 USD (+30.0%)']);
    expect(row(html, '流失率').slice(0, 3)).toEqual(['0.0%', '无 (no_active_customers_at_start)', '无']);
    expect(row(html, '平均订单金额')[3]).toContain('销售额 / 订单数');
    const churn =
      /<img alt="每月流失与挽回" width="800" height="500" src="data:image\/svg\+xml;base64,([^"]+)">/.exec(
        html,
      );
    // The chart itself is drawn in Chinese too.
    expect(Buffer.from(churn![1]!, 'base64').toString('utf8')).toMatch(/[\u4e00-\u9fff]/);
    expect(html).toContain(
      '<figcaption>帕累托：销售额累计占比</figcaption><p class="null">暂无: no_analytics_run.</p>',
    );
    // Without the header, English as before.
    const en = await t.as(reader).get(`/v1/analytics/report.html?${JUNE}`);
    expect(en.headers['content-language']).toBe('en');
    expect(en.text).toContain('<html lang="en">');
  });

  it('refuses a bad range with problem+json, and a caller without analytics:read', async () => {
    const bad = await t.as(reader).get('/v1/analytics/report.html?from=2026-07-01&to=2026-06-01');
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    const other = await t.keyWith('service:read');
    expect((await t.as(other).get(`/v1/analytics/report.html?${JUNE}`)).status).toBe(403);
    expect((await t.http().get(`/v1/analytics/report.html?${JUNE}`)).status).toBe(401);
  });
});

describe('signed links', () => {
  async function link(body: Record<string, unknown>) {
    const res = await t.as(reader).post('/v1/analytics/report-links').send(body);
    expect(res.status).toBe(201);
    return res.body as { url: string; token: string; expiresAt: string; from: string; to: string };
  }

  it('opens the page without a key, for its own range until it expires', async () => {
    const made = await link({ from: '2026-06-01', to: '2026-06-30', expiresInSeconds: 600 });
    expect(made.expiresAt).toBe(new Date(now.getTime() + 600_000).toISOString());
    expect(made.url).toBe(`/v1/analytics/report.html?${JUNE}&token=${encodeURIComponent(made.token)}`);
    const page = await t.http().get(made.url);
    expect(page.status).toBe(200);
    expect(row(page.text, 'Revenue')[0]).toBe('1,300.00 USD');

    // Another range with the same token: refused.
    const other = await t
      .http()
      .get(`/v1/analytics/report.html?from=2026-06-01&to=2026-06-29&token=${made.token}`);
    expect(other.status).toBe(401);
    expect(other.body.code).toBe('unauthorized');
    // A changed signature or payload: refused.
    const [payload, signature] = made.token.split('.');
    const flipped = `${payload}.${signature!.slice(0, -1)}${signature!.endsWith('A') ? 'B' : 'A'}`;
    expect((await t.http().get(`/v1/analytics/report.html?${JUNE}&token=${flipped}`)).status).toBe(401);
    const forged = Buffer.from(
      JSON.stringify({ from: '2026-06-01', to: '2026-06-30', exp: 9e9, kid: 'x', kn: 'x' }),
    );
    expect(
      (
        await t
          .http()
          .get(`/v1/analytics/report.html?${JUNE}&token=${forged.toString('base64url')}.${signature}`)
      ).status,
    ).toBe(401);
    // The token is good for the page only: not for the JSON reports.
    expect((await t.http().get(`/v1/analytics/kpis?${JUNE}&token=${made.token}`)).status).toBe(401);

    // After its expiry: refused.
    const issued = now;
    now = new Date(issued.getTime() + 600_000);
    expect((await t.http().get(made.url)).status).toBe(401);
    now = issued;
    expect((await t.http().get(made.url)).status).toBe(200);
  });

  it('fills in the default range and expiry, and refuses what the page would refuse', async () => {
    const made = await link({});
    expect([made.from, made.to]).toEqual(['2026-07-17', '2026-08-15']);
    expect(made.expiresAt).toBe(new Date(now.getTime() + 900_000).toISOString());
    expect((await t.http().get(made.url)).status).toBe(200);
    for (const body of [
      { from: '2026-07-01', to: '2026-06-01' },
      { from: '2026-02-30' },
      { expiresInSeconds: 86_401 },
      { expiresInSeconds: 10 },
      { scope: 'admin' },
    ]) {
      const res = await t.as(reader).post('/v1/analytics/report-links').send(body);
      expect([body, res.status]).toEqual([body, 400]);
    }
    const other = await t.keyWith('service:read');
    expect((await t.as(other).post('/v1/analytics/report-links').send({})).status).toBe(403);
  });
});
