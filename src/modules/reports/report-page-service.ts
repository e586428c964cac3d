import { renderReportPage, type PageChart, type PageRow } from '../../domain/reports/report-page';
import type { Language } from '../../http/messages/catalogue';
import type { Principal } from '../../http/principal';
import { KPI_NAMES, type KpisService } from './kpis-service';
import { DEFAULT_LINK_SECONDS, type ReportLinks } from './report-links';
import { kpiLabel } from './report-page-text';

/**
 * What the page needs of the charts module: a chart as an SVG document. Optional, so that the
 * page works (with a marked place for them) on a server built without charts.
 */
export interface ChartSvgSource {
  /** The charts the page shows, in order, with their titles in each language. */
  charts: ReadonlyArray<{ name: string; title: Record<Language, string> }>;
  renderSvg(name: string, range: { from: string; to: string }, language: Language): Promise<string>;
}

/** GET /v1/analytics/report.html and the signed links to it (docs/reports.md). */
export class ReportPageService {
  constructor(
    private readonly kpis: KpisService,
    private readonly links: ReportLinks,
    private readonly clock: () => Date,
    private readonly currency: string,
    private readonly charts?: ChartSvgSource,
  ) {}

  /** The page in `language` (Accept-Language): labels, definitions, chart titles and chart text. */
  async page(query: { from?: string; to?: string }, language: Language = 'en'): Promise<string> {
    const range = this.kpis.rangeOf(query);
    const report = await this.kpis.compared(range);
    const rows: PageRow[] = KPI_NAMES.map((name) => ({
      name,
      ...kpiLabel(name, language),
      figure: report.figures[name],
    }));
    return renderReportPage({
      language,
      from: report.from,
      to: report.to,
      previousFrom: report.previousFrom,
      previousTo: report.previousTo,
      currency: this.currency,
      generatedAt: this.clock().toISOString(),
      rows,
      charts: this.charts ? await this.chartsOf(this.charts, range, language) : null,
    });
  }

  /** Each chart, or a note where it cannot be drawn (no analytics run yet, for instance). */
  private async chartsOf(
    source: ChartSvgSource,
    range: { from: string; to: string },
    language: Language,
  ): Promise<PageChart[]> {
    const out: PageChart[] = [];
    for (const chart of source.charts) {
      const title = chart.title[language];
      try {
        out.push({
          title,
          svg: await source.renderSvg(chart.name, { from: range.from, to: range.to }, language),
          note: null,
        });
      } catch (error) {
        // One chart that cannot be drawn (no run yet, a range too long for it) leaves the page standing.
        const code = (error as { code?: unknown }).code;
        out.push({
          title,
          svg: null,
          note: `${language === 'zh-CN' ? '暂无' : 'Not available'}: ${typeof code === 'string' ? code : 'render_failed'}.`,
        });
      }
    }
    return out;
  }

  /** A link to the page of one range, good for `seconds`; the range is checked as the page checks it. */
  link(input: { from?: string; to?: string; expiresInSeconds?: number }, issuer: Principal) {
    const range = this.kpis.rangeOf(input);
    const seconds = input.expiresInSeconds ?? DEFAULT_LINK_SECONDS;
    const { token, expiresAt } = this.links.issue(range, seconds, issuer);
    const query = new URLSearchParams({ from: range.from, to: range.to, token });
    return {
      url: `/v1/analytics/report.html?${query.toString()}`,
      token,
      from: range.from,
      to: range.to,
      expiresAt,
    };
  }
}
