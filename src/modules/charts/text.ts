import type { Language } from '../../http/messages/catalogue';

/**
 * Every word a chart shows, in the languages the API speaks (Accept-Language, as problem
 * documents pick theirs: src/http/messages/catalogue.ts). Kept beside the charts and not in
 * the problem catalogue: these are labels, not messages.
 */
export interface ChartText {
  customers: string;
  revenue: string;
  share: string;
  valueMatrix: {
    title: string;
    subtitle: string;
    cycleAxis: string;
    amountAxis: string;
    cycle: Record<'short' | 'medium' | 'long', string>;
    amount: Record<'small' | 'medium' | 'large', string>;
    legend: string;
    empty: string;
  };
  pareto: {
    title: string;
    subtitle: string;
    xAxis: string;
    yAxis: string;
    curve: string;
    equality: string;
    top: string;
  };
  cohort: {
    title: string;
    subtitle: Record<'status' | 'purchase', string>;
    xAxis: string;
    yAxis: string;
    legend: string;
  };
  churn: {
    title: string;
    subtitle: string;
    xAxis: string;
    countAxis: string;
    rateAxis: string;
    churned: string;
    wonBack: string;
    rate: string;
  };
  clv: {
    title: string;
    subtitle: string;
    xAxis: string;
    xAxisLog: string;
    yAxis: string;
    legend: string;
  };
  sales: {
    title: string;
    subtitle: string;
    yAxis: string;
    current: string;
    previous: string;
    other: string;
    none: string;
    groupings: Record<string, string>;
  };
  forecast: {
    title: string;
    subtitle: string;
    subtitleNew: string;
    xAxis: string;
    revenueAxis: string;
    purchasesAxis: string;
    actual: string;
    backtestActual: string;
    backtestForecast: string;
    forecast: string;
    forecastArea: string;
  };
  periods: Record<'week' | 'month' | 'quarter', string>;
}

const EN: ChartText = {
  customers: 'customers',
  revenue: 'revenue',
  share: 'share',
  valueMatrix: {
    title: 'Value matrix: purchase cycle by amount per purchase',
    subtitle:
      'Latest analytics run as of {asOf}; customers and revenue ({currency}) per cell; {new} new customers not placed',
    cycleAxis: 'Purchase cycle ({unit}s between purchases)',
    amountAxis: 'Amount per purchase ({currency})',
    cycle: { short: 'Short', medium: 'Medium', long: 'Long' },
    amount: { small: 'Small', medium: 'Medium', large: 'Large' },
    legend: 'Customers',
    empty: 'Too few customers to split into tertiles',
  },
  pareto: {
    title: 'Pareto: cumulative share of revenue',
    subtitle: 'Latest analytics run as of {asOf}; {customers} customers; the top 20% bring {top} of revenue',
    xAxis: 'Share of customers, largest revenue first (%)',
    yAxis: 'Cumulative share of revenue (%)',
    curve: 'Cumulative revenue',
    equality: 'Equal shares',
    top: 'Top 20%',
  },
  cohort: {
    title: 'Cohort retention',
    subtitle: {
      status: 'Share of each first-purchase cohort not churned at the end of each {period}',
      purchase: 'Share of each first-purchase cohort that bought in each {period}',
    },
    xAxis: '{period}s since the first purchase',
    yAxis: 'Cohort (first purchase; customers)',
    legend: 'Retention (%)',
  },
  churn: {
    title: 'Churn and win-back per {period}',
    subtitle: 'Customers who churned and were won back, with the churn rate (churned / active at the start)',
    xAxis: '{period}',
    countAxis: 'Customers',
    rateAxis: 'Churn rate (%)',
    churned: 'Churned',
    wonBack: 'Won back',
    rate: 'Churn rate',
  },
  clv: {
    title: 'Distribution of predicted CLV',
    subtitle: 'Latest analytics run as of {asOf}; {customers} customers; {bins} bins',
    xAxis: 'Predicted CLV ({currency})',
    xAxisLog: 'Predicted CLV ({currency}, log scale)',
    yAxis: 'Customers',
    legend: 'Customers per bin',
  },
  sales: {
    title: 'Revenue by {grouping}',
    subtitle: '{from} to {to} beside the previous period, {pfrom} to {pto}',
    yAxis: 'Revenue ({currency})',
    current: 'This period',
    previous: 'Previous period',
    other: 'Other',
    none: '(none)',
    groupings: {
      region: 'region',
      product: 'product',
      category: 'category',
      owner: 'owner',
      postcode: 'postcode',
      channel: 'channel',
      valueClass: 'value class',
    },
  },
  forecast: {
    title: 'Demand forecast per {period}, with its backtest',
    subtitle:
      'Latest analytics run as of {asOf}; backtest made as of {backtest} with models refitted then, MAPE {mape}',
    subtitleNew:
      'Latest analytics run as of {asOf}, {rate} new customers a month; backtest as of {backtest}, MAPE {mape}',
    xAxis: '{period} (first day)',
    revenueAxis: 'Revenue ({currency})',
    purchasesAxis: 'Purchases (purchase days)',
    actual: 'Actual, all customers',
    backtestActual: 'Backtest: actual',
    backtestForecast: 'Backtest: forecast',
    forecast: 'Forecast',
    forecastArea: 'Forecast',
  },
  periods: { week: 'week', month: 'month', quarter: 'quarter' },
};

const ZH_CN: ChartText = {
  customers: '客户',
  revenue: '收入',
  share: '占比',
  valueMatrix: {
    title: '价值矩阵：购买周期 × 客单价',
    subtitle: '最近一次分析运行（截至 {asOf}）；每格客户数与收入（{currency}）；{new} 位新客户未归入',
    cycleAxis: '购买周期（两次购买间隔，单位：{unit}）',
    amountAxis: '每次购买金额（{currency}）',
    cycle: { short: '短', medium: '中', long: '长' },
    amount: { small: '小', medium: '中', large: '大' },
    legend: '客户数',
    empty: '客户太少，无法按三分位划分',
  },
  pareto: {
    title: '帕累托图：收入累计占比',
    subtitle: '最近一次分析运行（截至 {asOf}）；共 {customers} 位客户；前 20% 客户贡献 {top} 的收入',
    xAxis: '客户占比，按收入从高到低（%）',
    yAxis: '收入累计占比（%）',
    curve: '累计收入',
    equality: '均等分布',
    top: '前 20%',
  },
  cohort: {
    title: '同期群留存',
    subtitle: {
      status: '各首购同期群在每个{period}末未流失的比例',
      purchase: '各首购同期群在每个{period}内有购买的比例',
    },
    xAxis: '首购后的{period}数',
    yAxis: '同期群（首购；客户数）',
    legend: '留存率（%）',
  },
  churn: {
    title: '每{period}流失与赢回',
    subtitle: '流失与赢回的客户数，以及流失率（流失数 / 期初活跃数）',
    xAxis: '{period}',
    countAxis: '客户数',
    rateAxis: '流失率（%）',
    churned: '流失',
    wonBack: '赢回',
    rate: '流失率',
  },
  clv: {
    title: '预测 CLV 分布',
    subtitle: '最近一次分析运行（截至 {asOf}）；共 {customers} 位客户；{bins} 个区间',
    xAxis: '预测 CLV（{currency}）',
    xAxisLog: '预测 CLV（{currency}，对数刻度）',
    yAxis: '客户数',
    legend: '每个区间的客户数',
  },
  sales: {
    title: '按{grouping}的收入',
    subtitle: '{from} 至 {to}，对比上一周期 {pfrom} 至 {pto}',
    yAxis: '收入（{currency}）',
    current: '本期',
    previous: '上期',
    other: '其他',
    none: '（无）',
    groupings: {
      region: '地区',
      product: '产品',
      category: '品类',
      owner: '负责人',
      postcode: '邮编',
      channel: '渠道',
      valueClass: '价值等级',
    },
  },
  forecast: {
    title: '每{period}需求预测及回测',
    subtitle: '最近一次分析运行（截至 {asOf}）；回测截至 {backtest}（模型按当时数据重新拟合），MAPE {mape}',
    subtitleNew: '最近一次分析运行（截至 {asOf}），每月 {rate} 位新客户；回测截至 {backtest}，MAPE {mape}',
    xAxis: '{period}（首日）',
    revenueAxis: '收入（{currency}）',
    purchasesAxis: '购买次数（购买日）',
    actual: '实际（全部客户）',
    backtestActual: '回测：实际',
    backtestForecast: '回测：预测',
    forecast: '预测',
    forecastArea: '预测期',
  },
  periods: { week: '周', month: '月', quarter: '季度' },
};

export const CHART_TEXT: Record<Language, ChartText> = { en: EN, 'zh-CN': ZH_CN };

/** Time units of an analytics run, as the matrix's axis names them. */
export const TIME_UNITS: Record<Language, Record<'day' | 'week' | 'month', string>> = {
  en: { day: 'day', week: 'week', month: 'month' },
  'zh-CN': { day: '天', week: '周', month: '月' },
};

/** `{name}` placeholders filled; an unknown one stays as written. */
export function fillText(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}
