/**
 * The sources of a customer's timeline (GET /v1/customers/{id}/timeline): one entry per
 * resource, each a select over its own table giving (type, id, occurred_at, title, summary,
 * link) for one customer. A new resource joins the timeline by adding its entry here and an
 * index on (customer_id, <its occurred_at expression> DESC, id DESC), which every page reads.
 *
 * Expressions are SQL over the source's table alias; they must be written exactly as in the
 * index (the follow-ups' COALESCE) for the planner to use it.
 */
export interface TimelineSource {
  /** The item type callers see and filter by (`types=`); also a sort key of the merge. */
  type: string;
  /** `<table> <alias>` */
  from: string;
  customerColumn: string;
  /** When the item happened: the keyset and the range compare this. */
  occurredAt: string;
  id: string;
  title: string;
  summary: string;
  link: string;
}

const money = (amount: string, currency: string) => `round(${amount}, 2)::text || ' ' || ${currency}`;

export const TIMELINE_SOURCES: readonly TimelineSource[] = [
  {
    type: 'interaction',
    from: 'interactions i',
    customerColumn: 'i.customer_id',
    occurredAt: 'i.occurred_at',
    id: 'i.id',
    title: "COALESCE(i.subject, initcap(replace(i.channel, '_', ' ')))",
    summary:
      "i.direction || ' ' || i.channel || COALESCE(' by ' || i.employee, '') || COALESCE(': ' || i.summary, '')",
    link: "'/v1/interactions/' || i.id",
  },
  {
    type: 'order',
    from: 'orders o',
    customerColumn: 'o.customer_id',
    occurredAt: 'o.ordered_at',
    id: 'o.id',
    title: "'Order ' || COALESCE(o.external_id, o.id::text)",
    summary: `${money('o.amount', 'o.currency')} || ', ' || o.status`,
    link: "'/v1/orders/' || o.id",
  },
  {
    type: 'payment',
    from: 'payments p',
    customerColumn: 'p.customer_id',
    occurredAt: 'p.received_at',
    id: 'p.id',
    title: "'Payment ' || COALESCE(p.external_id, p.id::text)",
    summary: `${money('p.amount', 'p.currency')} || COALESCE(' by ' || p.method, '')`,
    link: "'/v1/payments/' || p.id",
  },
  {
    // One item per follow-up: at its completion once done, else at its planned time.
    type: 'follow_up',
    from: 'follow_ups f',
    customerColumn: 'f.customer_id',
    occurredAt: 'COALESCE(f.completed_at, f.planned_at)',
    id: 'f.id',
    title:
      "CASE WHEN f.completed_at IS NULL THEN 'Follow-up planned' ELSE 'Follow-up done' END || ' (' || f.owner || ')'",
    summary: "COALESCE(f.outcome, f.purpose, '')",
    link: "'/v1/follow-ups/' || f.id",
  },
  {
    type: 'lifecycle',
    from: 'lifecycle_events l',
    customerColumn: 'l.customer_id',
    occurredAt: 'l.at',
    id: 'l.id',
    title:
      "replace(l.kind, '_', ' ') || ': ' || COALESCE(l.from_value, 'none') || ' -> ' || COALESCE(l.to_value, 'none')",
    summary: "l.cause || COALESCE(': ' || l.reason, '')",
    link: "'/v1/customers/' || l.customer_id || '/lifecycle'",
  },
  {
    type: 'service_record',
    from: 'service_records s',
    customerColumn: 's.customer_id',
    occurredAt: 's.opened_at',
    id: 's.id',
    title: 's.subject',
    summary: "s.type || ', ' || s.status || ', ' || s.priority",
    link: "'/v1/service-records/' || s.id",
  },
  {
    type: 'complaint',
    from: 'complaints c',
    customerColumn: 'c.customer_id',
    occurredAt: 'c.filed_at',
    id: 'c.id',
    title: "c.number || ' ' || c.subject",
    summary: 'c.status',
    link: "'/v1/complaints/' || c.id",
  },
  {
    type: 'survey_response',
    from: 'survey_responses r',
    customerColumn: 'r.customer_id',
    occurredAt: 'r.responded_at',
    id: 'r.id',
    title: "upper(r.kind) || ' ' || r.score",
    summary: "COALESCE(r.comment, '')",
    link: "'/v1/survey-responses/' || r.id",
  },
];

export const TIMELINE_TYPES = TIMELINE_SOURCES.map((s) => s.type);
