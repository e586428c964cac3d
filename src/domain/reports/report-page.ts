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

export interface ReportPageInput {
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
export function formatValue(kind: FigureKind, value: number, currency: string): string {
  switch (kind) {
    case 'count':
      return value.toLocaleString('en-US');
    case 'rate':
      return `${(value * 100).toFixed(1)}%`;
    case 'money':
      return `${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;
    case 'hours':
      return `${value.toFixed(1)} h`;
    case 'score':
      return value.toFixed(2);
  }
}

function cell(kind: FigureKind, value: number | null, reason: string | null, currency: string): string {
  if (value === null) return `<td class="null">n/a <small>(${escapeHtml(reason ?? 'unknown')})</small></td>`;
  return `<td>${escapeHtml(formatValue(kind, value, currency))}</td>`;
}

function changeCell(row: PageRow, currency: string): string {
  const { change, relativeChange } = row.figure;
  if (change === null) return '<td class="null">n/a</td>';
  const sign = change > 0 ? '+' : change < 0 ? '\u2212' : '\u00b1';
  const amount =
    row.kind === 'rate'
      ? `${(Math.abs(change) * 100).toFixed(1)} pt`
      : formatValue(row.kind, Math.abs(change), currency);
  const relative =
    relativeChange === null
      ? ''
      : ` <small>(${relativeChange >= 0 ? '+' : '\u2212'}${(Math.abs(relativeChange) * 100).toFixed(1)}%)</small>`;
  return `<td>${escapeHtml(sign + amount)}${relative}</td>`;
}

function chartBlock(chart: PageChart): string {
  const body = chart.svg
    ? // An <img> runs no script an SVG might hold, and prints like any picture.
      `<img alt="${escapeHtml(chart.title)}" width="800" height="500" src="data:image/svg+xml;base64,${Buffer.from(chart.svg, 'utf8').toString('base64')}">`
    : `<p class="null">${escapeHtml(chart.note ?? 'Not available.')}</p>`;
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
  const rows = input.rows
    .map(
      (row) =>
        `<tr><th scope="row">${escapeHtml(row.label)}</th>${cell(row.kind, row.figure.value, row.figure.reason, input.currency)}${cell(row.kind, row.figure.previous.value, row.figure.previous.reason, input.currency)}${changeCell(row, input.currency)}<td class="def">${escapeHtml(row.definition)}</td></tr>`,
    )
    .join('\n');
  const charts =
    input.charts === null
      ? // The marked place: charts come here once the server renders them.
        '<section class="charts-missing" id="charts"><h2>Charts</h2><p>Charts are not available on this server yet.</p></section>'
      : `<section id="charts"><h2>Charts</h2>${input.charts.map(chartBlock).join('\n')}</section>`;
  const title = `Customer KPIs ${input.from} \u2013 ${input.to}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="meta">Compared with ${escapeHtml(input.previousFrom)} \u2013 ${escapeHtml(input.previousTo)} (the same number of days just before). Amounts in ${escapeHtml(input.currency)}. Generated ${escapeHtml(input.generatedAt)}.</p>
<table>
<thead><tr><th scope="col">Figure</th><th scope="col">This period</th><th scope="col">Previous period</th><th scope="col">Change</th><th scope="col">Definition</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${charts}
</body>
</html>
`;
}
