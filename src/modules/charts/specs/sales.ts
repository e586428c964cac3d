import type { EChartsOption } from 'echarts';
import { fillText, type ChartText } from '../text';
import { baseOption } from './base';

/** What the chart needs of GET /v1/analytics/sales (src/modules/sales-report). */
export interface SalesChartData {
  from: string;
  to: string;
  previous: { from: string; to: string };
  groupBy: readonly string[];
  currency: string;
  groups: ReadonlyArray<{
    key: string | null;
    name: string | null;
    current: { revenue: string };
    previous: { revenue: string };
    groups?: ReadonlyArray<{ key: string | null; name: string | null; current: { revenue: string } }>;
  }>;
}

/** At most this many bars (or stacks) are drawn; the rest are summed into one "other". */
export const MAX_GROUPS = 12;

const label = (g: { key: string | null; name: string | null }, none: string) => g.name ?? g.key ?? none;

/**
 * Revenue per group: one level, this period beside the previous one; two levels, this
 * period's revenue of each first-level group stacked by the second level. Groups come most
 * revenue first, as the report orders them; past MAX_GROUPS they are summed into "other".
 */
export function salesOption(data: SalesChartData, text: ChartText): EChartsOption {
  const t = text.sales;
  const grouping = data.groupBy.map((g) => t.groupings[g] ?? g).join(' / ');
  const shown = data.groups.slice(0, MAX_GROUPS);
  const rest = data.groups.slice(MAX_GROUPS);
  const categories = shown.map((g) => label(g, t.none));
  if (rest.length > 0) categories.push(t.other);
  const sum = (values: number[]) => Number(values.reduce((s, v) => s + v, 0).toFixed(2));
  const base = baseOption(
    fillText(t.title, { grouping }),
    fillText(t.subtitle, { from: data.from, to: data.to, pfrom: data.previous.from, pto: data.previous.to }),
  );
  const axes = {
    xAxis: {
      type: 'category' as const,
      data: categories,
      name: grouping,
      nameLocation: 'middle' as const,
      nameGap: 50,
      axisLabel: { rotate: categories.length > 6 ? 30 : 0, fontSize: 10, interval: 0 },
    },
    yAxis: {
      type: 'value' as const,
      name: fillText(t.yAxis, { currency: data.currency }),
      nameLocation: 'middle' as const,
      nameGap: 60,
    },
  };
  if (data.groupBy.length === 1) {
    const current = shown.map((g) => Number(g.current.revenue));
    const previous = shown.map((g) => Number(g.previous.revenue));
    if (rest.length > 0) {
      current.push(sum(rest.map((g) => Number(g.current.revenue))));
      previous.push(sum(rest.map((g) => Number(g.previous.revenue))));
    }
    return {
      ...base,
      tooltip: { trigger: 'axis' },
      grid: { left: 90, right: 40, top: 90, bottom: 110 },
      ...axes,
      series: [
        { name: t.current, type: 'bar', data: current, itemStyle: { color: '#2f6db5' } },
        { name: t.previous, type: 'bar', data: previous, itemStyle: { color: '#b8c7da' } },
      ],
    };
  }
  // Second-level keys by their revenue over the whole report; the smaller ones are "other".
  const totals = new Map<string, number>();
  const names = new Map<string, string>();
  for (const g of data.groups)
    for (const s of g.groups ?? []) {
      const id = s.key ?? '\u0000';
      totals.set(id, (totals.get(id) ?? 0) + Number(s.current.revenue));
      names.set(id, label(s, t.none));
    }
  const top = [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_GROUPS - 1)
    .map(([id]) => id);
  const stacks = [...top, ...(totals.size > top.length ? ['\u0001'] : [])];
  const parents = [...shown, ...(rest.length > 0 ? [{ groups: rest.flatMap((g) => g.groups ?? []) }] : [])];
  const series = stacks.map((id) => ({
    name: id === '\u0001' ? t.other : names.get(id)!,
    type: 'bar' as const,
    stack: 'current',
    data: parents.map((p) =>
      sum(
        (p.groups ?? [])
          .filter((s) => (id === '\u0001' ? !top.includes(s.key ?? '\u0000') : (s.key ?? '\u0000') === id))
          .map((s) => Number(s.current.revenue)),
      ),
    ),
  }));
  return {
    ...base,
    tooltip: { trigger: 'axis' },
    legend: { bottom: 4, left: 'center', type: 'plain', itemWidth: 14, textStyle: { fontSize: 10 } },
    grid: { left: 90, right: 40, top: 90, bottom: 125 },
    ...axes,
    series,
  };
}
