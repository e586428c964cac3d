import {
  renderReportPage,
  type FigureKind,
  type PageChart,
  type PageRow,
} from '../../domain/reports/report-page';
import type { Principal } from '../../http/principal';
import { KPI_DEFINITIONS } from './kpis-schemas';
import { KPI_NAMES, type KpiName, type KpisService } from './kpis-service';
import { DEFAULT_LINK_SECONDS, type ReportLinks } from './report-links';

/**
 * What the page needs of the charts module: a chart as an SVG document. Optional, so that the
 * page works (with a marked place for them) on a server built without charts.
 */
export interface ChartSvgSource {
  /** The charts the page shows, in order, with their titles. */
  charts: ReadonlyArray<{ name: string; title: string }>;
  renderSvg(name: string, range: { from: string; to: string }): Promise<string>;
}

const LABELS: Record<KpiName, [label: string, kind: FigureKind]> = {
  customersTotal: ['Customers', 'count'],
  newCustomers: ['New customers', 'count'],
  activeCustomers: ['Active customers', 'count'],
  atRiskCustomers: ['At risk', 'count'],
  churnedCustomers: ['Churned', 'count'],
  wonBackCustomers: ['Won back', 'count'],
  retentionRate: ['Retention rate', 'rate'],
  churnRate: ['Churn rate', 'rate'],
  revenue: ['Revenue', 'money'],
  orders: ['Orders', 'count'],
  averageOrder: ['Average order', 'money'],
  clvTotal: ['Predicted CLV, total', 'money'],
  clvAverage: ['Predicted CLV, average', 'money'],
  csat: ['CSAT (1-5)', 'score'],
  nps: ['NPS (-100 to 100)', 'score'],
  complaintResolutionHours: ['Complaint resolution, median', 'hours'],
  followUpsOnTime: ['Follow-ups done on time', 'rate'],
};

/** GET /v1/analytics/report.html and the signed links to it (docs/reports.md). */
export class ReportPageService {
  constructor(
    private readonly kpis: KpisService,
    private readonly links: ReportLinks,
    private readonly clock: () => Date,
    private readonly currency: string,
    private readonly charts?: ChartSvgSource,
  ) {}

  async page(query: { from?: string; to?: string }): Promise<string> {
    const range = this.kpis.rangeOf(query);
    const report = await this.kpis.compared(range);
    const rows: PageRow[] = KPI_NAMES.map((name) => ({
      name,
      label: LABELS[name][0],
      kind: LABELS[name][1],
      definition: KPI_DEFINITIONS[name],
      figure: report.figures[name],
    }));
    return renderReportPage({
      from: report.from,
      to: report.to,
      previousFrom: report.previousFrom,
      previousTo: report.previousTo,
      currency: this.currency,
      generatedAt: this.clock().toISOString(),
      rows,
      charts: this.charts ? await this.chartsOf(this.charts, range) : null,
    });
  }

  /** Each chart, or a note where it cannot be drawn (no analytics run yet, for instance). */
  private async chartsOf(source: ChartSvgSource, range: { from: string; to: string }): Promise<PageChart[]> {
    const out: PageChart[] = [];
    for (const { name, title } of source.charts) {
      try {
        out.push({
          title,
          svg: await source.renderSvg(name, { from: range.from, to: range.to }),
          note: null,
        });
      } catch (error) {
        // One chart that cannot be drawn (no run yet, a range too long for it) leaves the page standing.
        const code = (error as { code?: unknown }).code;
        out.push({
          title,
          svg: null,
          note: `Not available: ${typeof code === 'string' ? code : 'render_failed'}.`,
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
