import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { buy, runAnalytics } from '../helpers/analytics-run';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { histogram } from '../../src/modules/charts/specs/clv-distribution';
import { paretoCurve } from '../../src/modules/charts/specs/pareto';
import { forecastOption } from '../../src/modules/charts/specs/forecast';
import { CHART_TEXT } from '../../src/modules/charts/text';

/**
 * The charts end to end: a small business with an analytics run, then every chart as SVG and
 * PNG, in English and in Chinese; unknown names and bad parameters refused.
 */
let t: TestApp;
let reader: string;
beforeAll(async () => {
  t = await createTestApp({}, { clock: () => new Date('2026-08-15T12:00:00Z') });
  reader = await t.keyWith('analytics:read');
  const plans: Array<[string, string[], string]> = [
    [
      'Weekly big',
      ['2026-05-01', '2026-05-08', '2026-05-15', '2026-05-22', '2026-05-29', '2026-06-05'],
      '400.00',
    ],
    [
      'Monthly',
      ['2026-01-10', '2026-02-10', '2026-03-10', '2026-04-10', '2026-05-10', '2026-06-10'],
      '80.00',
    ],
    ['Slow small', ['2025-06-01', '2025-10-01', '2026-02-01', '2026-06-01'], '15.00'],
    ['Lapsed', ['2025-01-01', '2025-01-20'], '60.00'],
    ['Twice', ['2026-03-01', '2026-04-15'], '120.00'],
    ['Once', ['2026-06-20'], '35.00'],
    ['Fortnightly', ['2026-04-01', '2026-04-15', '2026-04-29', '2026-05-13', '2026-05-27'], '55.00'],
  ];
  for (const [name, days, amount] of plans) {
    const res = await t.admin().post('/v1/customers').send({ name });
    expect(res.status).toBe(201);
    await buy(t, res.body.id, days, amount);
  }
  await runAnalytics(t, '2026-06-30');
});
afterAll(async () => t.close());

// The forecast chart needs a BG/NBD fit, which this small business has not: test/api/forecast.test.ts draws it.
const NAMES = ['value-matrix', 'pareto', 'cohort-retention', 'churn', 'clv-distribution', 'sales'];

const TITLES: Record<string, { en: string; zh: string }> = {
  'value-matrix': { en: 'Value matrix', zh: '价值矩阵' },
  pareto: { en: 'Pareto', zh: '帕累托图' },
  'cohort-retention': { en: 'Cohort retention', zh: '同期群留存' },
  churn: { en: 'Churn and win-back per month', zh: '每月流失与赢回' },
  'clv-distribution': { en: 'Distribution of predicted CLV', zh: '预测 CLV 分布' },
  sales: { en: 'Revenue by region', zh: '按地区的收入' },
};

/** Every text node of an SVG document, in order. */
function texts(svg: string): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '#text') out.push(String(value));
        else walk(value);
      }
    }
  };
  walk(new XMLParser({ preserveOrder: true, ignoreAttributes: true }).parse(svg));
  return out;
}

/** Collects a binary body (supertest buffers only text by itself). */
const binary = (res: import('supertest').Response, done: (err: Error | null, body: Buffer) => void) => {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

/** GET a chart, its body as bytes (supertest leaves image/svg+xml unread otherwise). */
const chart = (path: string, language = 'en') =>
  t
    .as(reader)
    .get(`/v1/analytics/charts/${path}`)
    .set('accept-language', language)
    .buffer(true)
    .parse(binary);

const svgText = (res: { body: Buffer }): string => res.body.toString('utf8');

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe.each(NAMES)('%s', (name) => {
  test('SVG: a valid 800x500 document with its English title, axes and legend', async () => {
    const res = await chart(`${name}.svg`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const svg = svgText(res);
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toMatch(/<svg [^>]*width="800" height="500"/);
    const words = texts(svg).join('\n');
    expect(words).toContain(TITLES[name]!.en);
    expect(words).not.toMatch(/[\u4e00-\u9fff]/);
  });

  test('SVG with Accept-Language zh-CN: Chinese title', async () => {
    const res = await chart(`${name}.svg`, 'zh-CN');
    expect(res.status).toBe(200);
    expect(res.headers['content-language']).toBe('zh-CN');
    expect(XMLValidator.validate(svgText(res))).toBe(true);
    expect(texts(svgText(res)).join('\n')).toContain(TITLES[name]!.zh);
  });

  test('PNG: the PNG signature, in both languages', async () => {
    for (const language of ['en', 'zh-CN']) {
      const res = await t
        .as(reader)
        .get(`/v1/analytics/charts/${name}.png`)
        .set('accept-language', language)
        .buffer(true)
        .parse(binary);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      const body = res.body as Buffer;
      expect(body.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      // IHDR: width and height of the image.
      expect(body.readUInt32BE(16)).toBe(800);
      expect(body.readUInt32BE(20)).toBe(500);
    }
  });
});

test('value matrix: every valued customer is in a cell or counted as new, with its revenue', async () => {
  const res = await chart('value-matrix.svg');
  const words = texts(svgText(res));
  const cells = words.filter((w) => / customers$/.test(w)).map((w) => Number(w.split(' ')[0]));
  const segments = (await t.admin().get('/v1/analytics/segments')).body;
  const placed = cells.reduce((s, n) => s + n, 0);
  expect(placed + segments.matrix.newCustomers).toBe(7);
});

test('clv-distribution takes bins and a log scale', async () => {
  const res = await chart('clv-distribution.svg?bins=5&scale=log');
  expect(res.status).toBe(200);
  expect(texts(svgText(res)).join('\n')).toContain('log scale');
});

test('churn and cohort-retention take the churn report range', async () => {
  const res = await chart('churn.svg?period=quarter&from=2025-01-01&to=2026-06-30');
  expect(res.status).toBe(200);
  expect(texts(svgText(res)).join('\n')).toContain('2026-Q2');
  const cohort = await t
    .as(reader)
    .get('/v1/analytics/charts/cohort-retention.svg?from=2026-01-01&to=2026-06-30&cohortBasis=purchase');
  expect(cohort.status).toBe(200);
});

test('sales takes the report grouping, one or two levels', async () => {
  const one = await chart('sales.svg?groupBy=owner&from=2026-05-01&to=2026-06-30');
  expect(one.status).toBe(200);
  const words = texts(svgText(one)).join('\n');
  expect(words).toContain('Revenue by owner');
  expect(words).toContain('Previous period');
  const two = await chart('sales.svg?groupBy=region,product&from=2026-05-01&to=2026-06-30', 'zh-CN');
  expect(two.status).toBe(200);
  expect(XMLValidator.validate(svgText(two))).toBe(true);
  expect(texts(svgText(two)).join('\n')).toContain('按地区 / 产品的收入');
});

test('forecast without a BG/NBD fit in the latest run is 404 no_analytics_run, as the forecast is', async () => {
  const res = await t.as(reader).get('/v1/analytics/charts/forecast.svg');
  expect(res.status).toBe(404);
  expect(res.body.code).toBe('no_analytics_run');
  expect((await t.as(reader).get('/v1/analytics/charts/forecast.svg?metric=profit')).status).toBe(400);
});

test('an unknown chart is 404 chart_not_found, in the caller language', async () => {
  for (const ext of ['svg', 'png']) {
    const res = await t.as(reader).get(`/v1/analytics/charts/funnel.${ext}`);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('chart_not_found');
  }
  const zh = await t.as(reader).get('/v1/analytics/charts/funnel.svg').set('accept-language', 'zh-CN');
  expect(zh.body.title).toBe('未找到图表');
});

test('bad parameters are 400 problems', async () => {
  const bad = [
    'clv-distribution.svg?bins=1',
    'clv-distribution.svg?bins=many',
    'clv-distribution.png?scale=cubic',
    'churn.svg?period=day',
    'churn.svg?from=2026-13-01',
    'churn.svg?from=2026-06-01&to=2026-01-01',
    'cohort-retention.svg?cohortBasis=x',
    'pareto.svg?colour=red',
    'sales.svg?groupBy=planet',
    'sales.svg?from=2026-06-30&to=2026-06-01',
    'sales.png?from=2019-01-01&to=2026-06-30',
  ];
  for (const path of bad) {
    const res = await t.as(reader).get(`/v1/analytics/charts/${path}`);
    expect([path, res.status]).toEqual([path, 400]);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  }
});

test('scope analytics:read is needed', async () => {
  const other = await t.keyWith('customers:read');
  expect((await t.as(other).get('/v1/analytics/charts/pareto.svg')).status).toBe(403);
  expect((await t.http().get('/v1/analytics/charts/pareto.svg')).status).toBe(401);
});

test('without a finished run the run charts are 404 no_analytics_run', async () => {
  const fresh = await createTestApp();
  try {
    const res = await fresh.admin().get('/v1/analytics/charts/pareto.svg');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('no_analytics_run');
    expect((await fresh.admin().get('/v1/analytics/charts/churn.svg')).status).toBe(200);
  } finally {
    await fresh.close();
  }
});

describe('pure helpers', () => {
  test('forecastOption: history bars, the backtest on its last periods, the forecast joined to the last actual', () => {
    const option = forecastOption(
      {
        asOf: '2026-06-30',
        horizon: 'month',
        currency: 'USD',
        metric: 'revenue',
        history: [
          { from: '2026-04-01', to: '2026-04-30', purchases: 3, revenue: 300 },
          { from: '2026-05-01', to: '2026-05-30', purchases: 2, revenue: 200 },
          { from: '2026-05-31', to: '2026-06-30', purchases: 4, revenue: 410 },
        ],
        backtest: {
          asOf: '2026-04-30',
          periods: [
            {
              from: '2026-05-01',
              forecastPurchases: 2.5,
              actualPurchases: 2,
              forecastRevenue: 250,
              actualRevenue: 200,
            },
            {
              from: '2026-05-31',
              forecastPurchases: 2.4,
              actualPurchases: 3,
              forecastRevenue: 240,
              actualRevenue: 310,
            },
          ],
          mapePurchases: 0.2,
          mapeRevenue: 0.3,
        },
        forecast: [{ from: '2026-07-01', total: { purchases: 3.5, revenue: 350.123 }, newPurchases: 0 }],
        newCustomersPerMonth: 0,
      },
      CHART_TEXT.en,
    );
    const series = option.series as Array<{ name: string; data: Array<number | null> }>;
    expect((option.xAxis as { data: string[] }).data).toEqual([
      '2026-04-01',
      '2026-05-01',
      '2026-05-31',
      '2026-07-01',
    ]);
    expect(series.map((s) => s.data)).toEqual([
      [300, 200, 410, null],
      [null, 200, 310, null],
      [null, 250, 240, null],
      [null, null, 410, 350.12],
    ]);
    expect((option.title as { subtext: string }).subtext).toContain('MAPE 30.0%');
  });

  test('paretoCurve: exact at each step, from 0 to 1', () => {
    const curve = paretoCurve([50, 30, 10, 10], 4);
    expect(curve).toEqual([
      [0, 0],
      [0.25, 0.5],
      [0.5, 0.8],
      [0.75, 0.9],
      [1, 1],
    ]);
    expect(paretoCurve([], 2)).toEqual([
      [0, 0],
      [0.5, 0],
      [1, 0],
    ]);
  });

  test('histogram: every value in exactly one bin, linear and log', () => {
    const values = [0, 1, 2, 3, 10, 100, 1000];
    for (const scale of ['linear', 'log'] as const) {
      const bins = histogram(values, 3, scale);
      expect(bins.reduce((s, b) => s + b.customers, 0)).toBe(values.length);
    }
    expect(histogram([5, 5, 5], 10, 'linear')).toEqual([{ low: 5, high: 5, customers: 3 }]);
    expect(histogram([], 10, 'log')).toEqual([]);
  });
});
