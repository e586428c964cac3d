import {
  escapeHtml,
  formatValue,
  renderReportPage,
  type PageRow,
} from '../../src/domain/reports/report-page';

const figure = {
  value: 1,
  reason: null,
  previous: { value: null, reason: 'x' },
  change: null,
  relativeChange: null,
};

describe('the report page', () => {
  it('escapes what HTML would read as markup', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe(
      '&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;',
    );
  });

  it('formats each kind of figure', () => {
    expect(formatValue('money', 1234.5, 'EUR')).toBe('1,234.50 EUR');
    expect(formatValue('rate', 0.3333, 'EUR')).toBe('33.3%');
    expect(formatValue('count', 12000, 'EUR')).toBe('12,000');
    expect(formatValue('hours', 24, 'EUR')).toBe('24.0 h');
    expect(formatValue('score', 3.66667, 'EUR')).toBe('3.67');
  });

  it('puts no value on the page unescaped, and charts as images', () => {
    const hostile = '<script>alert(1)</script>';
    const rows: PageRow[] = [
      {
        name: 'x',
        label: hostile,
        definition: hostile,
        kind: 'count',
        figure: { ...figure, reason: hostile },
      },
      {
        name: 'y',
        label: 'y',
        definition: 'y',
        kind: 'count',
        figure: {
          value: null,
          reason: hostile,
          previous: { value: null, reason: hostile },
          change: null,
          relativeChange: null,
        },
      },
    ];
    const html = renderReportPage({
      from: '2026-06-01',
      to: '2026-06-30',
      previousFrom: hostile,
      previousTo: hostile,
      currency: hostile,
      generatedAt: hostile,
      rows,
      charts: [
        {
          title: hostile,
          svg: `<svg xmlns="http://www.w3.org/2000/svg"><text>${hostile}</text></svg>`,
          note: null,
        },
        { title: 'b', svg: null, note: hostile },
      ],
    });
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toMatch(
      /<img alt="&lt;script&gt;[^"]*" width="800" height="500" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+">/,
    );
    expect(html).not.toContain('class="charts-missing"');
  });

  it('marks the place of the charts when the server renders none', () => {
    const html = renderReportPage({
      from: 'a',
      to: 'b',
      previousFrom: 'c',
      previousTo: 'd',
      currency: 'USD',
      generatedAt: 'e',
      rows: [],
      charts: null,
    });
    expect(html).toContain('<section class="charts-missing" id="charts">');
  });
});
