/**
 * The printable report page (GET /v1/analytics/report.html): the KPIs of a range as one
 * static HTML document, no script, styles inline, charts as data: images. Pure: the figures
 * and the charts' SVG come in. Every value that reaches the page goes through `escapeHtml`.
 */

export interface PageFigure {
  value: number | null;
  reason: string | null;
  previous: { value: number | null; reason: string | null };
  change: number | null;
  relativeChange: number | null;
}

export type FigureKind = 'count' | 'rate' | 'money' | 'score' | 'hours';

export interface PageRow {
  name: string;
  label: string;
  definition: string;
  kind: FigureKind;
  figure: PageFigure;
}

export interface PageChart {
  title: string;
  /** The chart's SVG document, or why there is none. */
  svg: string | null;
  note: string | null;
}

/** The languages the page is written in (the API's own, src/http/messages/catalogue.ts). */
export type PageLanguage = 'en' | 'zh-CN';

interface PageWords {
  title: string;
  meta: string;
  figure: string;
  thisPeriod: string;
  previousPeriod: string;
  change: string;
  definition: string;
  charts: string;
  chartsMissing: string;
  notAvailable: string;
  na: string;
  hours: string;
  points: string;
}

/** Every word of the page's own; the figures' labels and definitions come in with the rows. */
const WORDS: Record<PageLanguage, PageWords> = {
  en: {
    title: 'Customer KPIs {from} \u2013 {to}',
    meta: 'Compared with {previousFrom} \u2013 {previousTo} (the same number of days just before). Amounts in {currency}. Generated {generatedAt}.',
    figure: 'Figure',
    thisPeriod: 'This period',
    previousPeriod: 'Previous period',
    change: 'Change',
    definition: 'Definition',
    charts: 'Charts',
    chartsMissing: 'Charts are not available on this server yet.',
    notAvailable: 'Not available.',
    na: 'n/a',
    hours: 'h',
    points: 'pt',
  },
  'zh-CN': {
    title: '客户指标 {from} \u2013 {to}',
    meta: '对比期间 {previousFrom} \u2013 {previousTo}（紧邻其前、天数相同）。金额单位 {currency}。生成于 {generatedAt}。',
    figure: '指标',
    thisPeriod: '本期',
    previousPeriod: '上期',
    change: '变化',
    definition: '定义',
    charts: '图表',
    chartsMissing: '本服务器暂不提供图表。',
    notAvailable: '暂无。',
    na: '无',
    hours: '小时',
    points: '个百分点',
  },
};

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => escapeHtml(values[key] ?? ''));
}

export interface ReportPageInput {
  /** The page's language; English when not given. */
  language?: PageLanguage;
  from: string;
  to: string;
  previousFrom: string;
  previousTo: string;
  currency: string;
  generatedAt: string;
  rows: PageRow[];
  /** null: this build has no chart renderer; the page keeps a marked place for them. */
  charts: PageChart[] | null;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe in element content and in quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A figure's value as the page shows it. */
export function formatValue(kind: FigureKind, value: number, currency: string, hours = 'h'): string {
  switch (kind) {
    case 'count':
      return value.toLocaleString('en-US');
    case 'rate':
      return `${(value * 100).toFixed(1)}%`;
    case 'money':
      return `${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;
    case 'hours':
      return `${value.toFixed(1)} ${hours}`;
    case 'score':
      return value.toFixed(2);
  }
}

function cell(
  kind: FigureKind,
  value: number | null,
  reason: string | null,
  currency: string,
  words: PageWords,
): string {
  if (value === null)
    return `<td class="null">${escapeHtml(words.na)} <small>(${escapeHtml(reason ?? 'unknown')})</small></td>`;
  return `<td>${escapeHtml(formatValue(kind, value, currency, words.hours))}</td>`;
}

function changeCell(row: PageRow, currency: string, words: PageWords): string {
  const { change, relativeChange } = row.figure;
  if (change === null) return `<td class="null">${escapeHtml(words.na)}</td>`;
  const sign = change > 0 ? '+' : change < 0 ? '\u2212' : '\u00b1';
  const amount =
    row.kind === 'rate'
      ? `${(Math.abs(change) * 100).toFixed(1)} ${words.points}`
      : formatValue(row.kind, Math.abs(change), currency, words.hours);
  const relative =
    relativeChange === null
      ? ''
      : ` <small>(${relativeChange >= 0 ? '+' : '\u2212'}${(Math.abs(relativeChange) * 100).toFixed(1)}%)</small>`;
  return `<td>${escapeHtml(sign + amount)}${relative}</td>`;
}

function chartBlock(chart: PageChart, words: PageWords): string {
  const body = chart.svg
    ? // An <img> runs no script an SVG might hold, and prints like any picture.
      `<img alt="${escapeHtml(chart.title)}" width="800" height="500" src="data:image/svg+xml;base64,${Buffer.from(chart.svg, 'utf8').toString('base64')}">`
    : `<p class="null">${escapeHtml(chart.note ?? words.notAvailable)}</p>`;
  return `<figure><figcaption>${escapeHtml(chart.title)}</figcaption>${body}</figure>`;
}

const STYLE = `
body{font-family:"Noto Sans SC","Helvetica Neue",Arial,sans-serif;margin:2rem;color:#222}
h1{font-size:1.5rem;margin:0 0 .25rem}
p.meta{color:#555;margin:0 0 1.5rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:.4rem .5rem;text-align:right;vertical-align:top}
th:first-child,td:first-child,td.def{text-align:left}
td.def{color:#555;font-size:.8rem;max-width:28rem}
.null{color:#888}
figure{margin:2rem 0;page-break-inside:avoid;break-inside:avoid}
figcaption{font-weight:bold;margin-bottom:.5rem}
img{max-width:100%;height:auto}
section.charts-missing{border:2px dashed #bbb;padding:1rem;color:#666}
@media print{body{margin:0}tr,figure{page-break-inside:avoid;break-inside:avoid}}
`;

/** The whole page. */
export function renderReportPage(input: ReportPageInput): string {
  const language = input.language ?? 'en';
  const words = WORDS[language];
  const rows = input.rows
    .map(
      (row) =>
        `<tr><th scope="row">${escapeHtml(row.label)}</th>${cell(row.kind, row.figure.value, row.figure.reason, input.currency, words)}${cell(row.kind, row.figure.previous.value, row.figure.previous.reason, input.currency, words)}${changeCell(row, input.currency, words)}<td class="def">${escapeHtml(row.definition)}</td></tr>`,
    )
    .join('\n');
  const charts =
    input.charts === null
      ? // The marked place: charts come here once the server renders them.
        `<section class="charts-missing" id="charts"><h2>${escapeHtml(words.charts)}</h2><p>${escapeHtml(words.chartsMissing)}</p></section>`
      : `<section id="charts"><h2>${escapeHtml(words.charts)}</h2>${input.charts.map((c) => chartBlock(c, words)).join('\n')}</section>`;
  const title = fill(words.title, { from: input.from, to: input.to });
  const meta = fill(words.meta, {
    previousFrom: input.previousFrom,
    previousTo: input.previousTo,
    currency: input.currency,
    generatedAt: input.generatedAt,
  });
  const head = [words.figure, words.thisPeriod, words.previousPeriod, words.change, words.definition]
    .map((h) => `<th scope="col">${escapeHtml(h)}</th>`)
    .join('');
  return `<!DOCTYPE html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${title}</h1>
<p class="meta">${meta}</p>
<table>
<thead><tr>${head}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
${charts}
</body>
</html>
`;
}
