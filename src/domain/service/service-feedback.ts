/**
 * Feedback to product (docs/service.md): complaints, service records and survey scores per
 * product or product category, the direction the sources want R&D to draw from service.
 * Pure: the rows come in already read, each with the group it belongs to.
 */
import { COMPLAINT_SEVERITIES } from './complaint-status';
import { SERVICE_TYPES } from './service-status';
import {
  addResponse,
  NO_COUNTS,
  satisfactionOf,
  type SatisfactionCounts,
  type SurveyKind,
} from './satisfaction';

export interface ComplaintCount {
  group: string | null;
  severity: string;
  categoryId: string;
  categoryName: string;
  count: number;
}
export interface ServiceRecordCount {
  group: string | null;
  type: string;
  count: number;
}
/** One survey response in one group; a response may belong to several groups (an order of several products), once each. */
export interface SurveyInGroup {
  group: string | null;
  responseId: string;
  kind: SurveyKind;
  score: number;
}

export interface FeedbackGroup {
  key: string | null;
  complaints: {
    count: number;
    bySeverity: Record<string, number>;
    byCategory: Array<{ categoryId: string; name: string; count: number }>;
  };
  serviceRecords: { count: number; byType: Record<string, number> };
  surveys: {
    responses: number;
    averageCsat: number | null;
    csatResponses: number;
    nps: number | null;
    npsResponses: number;
  };
}

const zeroes = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, 0]));

export function feedbackGroups(
  complaints: readonly ComplaintCount[],
  records: readonly ServiceRecordCount[],
  surveys: readonly SurveyInGroup[],
): FeedbackGroup[] {
  const groups = new Map<string | null, FeedbackGroup & { counts: SatisfactionCounts; seen: Set<string> }>();
  const groupOf = (key: string | null) => {
    let g = groups.get(key);
    if (!g) {
      g = {
        key,
        complaints: { count: 0, bySeverity: zeroes(COMPLAINT_SEVERITIES), byCategory: [] },
        serviceRecords: { count: 0, byType: zeroes(SERVICE_TYPES) },
        surveys: { responses: 0, averageCsat: null, csatResponses: 0, nps: null, npsResponses: 0 },
        counts: NO_COUNTS,
        seen: new Set(),
      };
      groups.set(key, g);
    }
    return g;
  };
  for (const c of complaints) {
    const g = groupOf(c.group);
    g.complaints.count += c.count;
    g.complaints.bySeverity[c.severity] = (g.complaints.bySeverity[c.severity] ?? 0) + c.count;
    const category = g.complaints.byCategory.find((x) => x.categoryId === c.categoryId);
    if (category) category.count += c.count;
    else g.complaints.byCategory.push({ categoryId: c.categoryId, name: c.categoryName, count: c.count });
  }
  for (const r of records) {
    const g = groupOf(r.group);
    g.serviceRecords.count += r.count;
    g.serviceRecords.byType[r.type] = (g.serviceRecords.byType[r.type] ?? 0) + r.count;
  }
  for (const s of surveys) {
    const g = groupOf(s.group);
    if (g.seen.has(s.responseId)) continue;
    g.seen.add(s.responseId);
    g.counts = addResponse(g.counts, s.kind, s.score);
  }
  const out: FeedbackGroup[] = [];
  for (const { counts, seen: _seen, ...g } of groups.values()) {
    const figures = satisfactionOf(counts);
    g.complaints.byCategory.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
    out.push({
      ...g,
      surveys: {
        responses: figures.responses,
        averageCsat: figures.csat.average,
        csatResponses: figures.csat.responses,
        nps: figures.nps.score,
        npsResponses: figures.nps.responses,
      },
    });
  }
  // Most complained-about first, then most serviced; the ungrouped rows last.
  return out.sort(
    (a, b) =>
      Number(a.key === null) - Number(b.key === null) ||
      b.complaints.count - a.complaints.count ||
      b.serviceRecords.count - a.serviceRecords.count ||
      String(a.key).localeCompare(String(b.key)),
  );
}
