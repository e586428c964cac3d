import type { FigureKind } from '../../domain/reports/report-page';
import type { Language } from '../../http/messages/catalogue';
import { KPI_DEFINITIONS } from './kpis-schemas';
import type { KpiName } from './kpis-service';

/** How the page shows each figure: its label and kind. */
const KINDS: Record<KpiName, FigureKind> = {
  customersTotal: 'count',
  newCustomers: 'count',
  activeCustomers: 'count',
  atRiskCustomers: 'count',
  churnedCustomers: 'count',
  wonBackCustomers: 'count',
  retentionRate: 'rate',
  churnRate: 'rate',
  revenue: 'money',
  orders: 'count',
  averageOrder: 'money',
  clvTotal: 'money',
  clvAverage: 'money',
  csat: 'score',
  nps: 'score',
  complaintResolutionHours: 'hours',
  followUpsOnTime: 'rate',
};

const LABELS: Record<Language, Record<KpiName, string>> = {
  en: {
    customersTotal: 'Customers',
    newCustomers: 'New customers',
    activeCustomers: 'Active customers',
    atRiskCustomers: 'At risk',
    churnedCustomers: 'Churned',
    wonBackCustomers: 'Won back',
    retentionRate: 'Retention rate',
    churnRate: 'Churn rate',
    revenue: 'Revenue',
    orders: 'Orders',
    averageOrder: 'Average order',
    clvTotal: 'Predicted CLV, total',
    clvAverage: 'Predicted CLV, average',
    csat: 'CSAT (1-5)',
    nps: 'NPS (-100 to 100)',
    complaintResolutionHours: 'Complaint resolution, median',
    followUpsOnTime: 'Follow-ups done on time',
  },
  'zh-CN': {
    customersTotal: '客户数',
    newCustomers: '新客户',
    activeCustomers: '活跃客户',
    atRiskCustomers: '流失风险',
    churnedCustomers: '已流失',
    wonBackCustomers: '已挽回',
    retentionRate: '保持率',
    churnRate: '流失率',
    revenue: '销售额',
    orders: '订单数',
    averageOrder: '平均订单金额',
    clvTotal: '预测客户终身价值（合计）',
    clvAverage: '预测客户终身价值（平均）',
    csat: '满意度 CSAT（1-5）',
    nps: '净推荐值 NPS（-100 至 100）',
    complaintResolutionHours: '投诉处理时长（中位数）',
    followUpsOnTime: '按时完成的回访',
  },
};

/** The definitions in Chinese; the English ones are the OpenAPI document's (kpis-schemas.ts). */
const DEFINITIONS_ZH: Record<KpiName, string> = {
  customersTotal: '区间结束时有流失状态的客户（已因首次购买而获得）：活跃、有流失风险、已挽回或已流失。',
  newCustomers: '首次有效购买（未取消、未退货的订单）落在区间内的客户。',
  activeCustomers: '区间结束时活跃的客户：流失状态为活跃、有流失风险或已挽回（流失报告的 activeAtEnd）。',
  atRiskCustomers: '区间结束时流失状态为“有流失风险”的客户。',
  churnedCustomers: '区间开始时活跃、结束时已流失（或无状态）的客户（流失报告的 churned，按区间净计）。',
  wonBackCustomers: '区间开始时已流失、结束时活跃的客户（流失报告的 wonBack）。',
  retentionRate:
    '1 - 流失率：区间开始时活跃的客户中，结束时未流失的比例。无人活跃时为空（no_active_customers_at_start）。',
  churnRate:
    '已流失客户 / 区间开始时活跃的客户（流失报告的 churnRate）。无人活跃时为空（no_active_customers_at_start）。',
  revenue: '区间内有效订单的合计，以报告货币计（每笔订单金额乘以其汇率），精确到分。',
  orders: '区间内的有效订单数（未取消、未退货）。',
  averageOrder: '销售额 / 订单数，精确到分。无订单时为空（no_orders）。',
  clvTotal:
    '最近一次完成、asOf 不晚于区间最后一天的分析运行中，在册客户的预测终身价值之和。无此运行时为空（no_analytics_run）。',
  clvAverage:
    '上项合计 / 该运行估值的客户数。为空的原因：no_analytics_run，或该运行未估值任何客户（no_customer_values）。',
  csat: '区间内 CSAT 答卷（1-5）的平均值，保留 4 位小数。无答卷时为空（no_csat_responses）。',
  nps: '区间内答卷（0-10）的净推荐值：推荐者（9-10）% - 贬损者（0-6）%，-100 至 100。无答卷时为空（no_nps_responses）。',
  complaintResolutionHours:
    '区间内已解决投诉从受理到解决的小时数中位数。无已解决投诉时为空（no_complaints_resolved）。',
  followUpsOnTime:
    '区间内计划并已完成的回访中，不晚于计划时间加 FOLLOW_UP_GRACE_MINUTES 完成的比例。无完成的回访时为空（no_follow_ups_done）。',
};

export function kpiLabel(
  name: KpiName,
  language: Language,
): { label: string; kind: FigureKind; definition: string } {
  return {
    label: LABELS[language][name],
    kind: KINDS[name],
    definition: language === 'zh-CN' ? DEFINITIONS_ZH[name] : KPI_DEFINITIONS[name],
  };
}
