/**
 * Satisfaction figures from survey responses (docs/domain.md section 3): CSAT is the mean of
 * 1-5 scores; NPS is the percentage of promoters (9-10) minus the percentage of detractors
 * (0-6) among the 0-10 answers, so it runs from -100 to 100. Passives (7-8) count in the
 * total only.
 */
export type SurveyKind = 'csat' | 'nps';

export const SCORE_RANGE: Record<SurveyKind, { min: number; max: number }> = {
  csat: { min: 1, max: 5 },
  nps: { min: 0, max: 10 },
};

/** Whether a score lies in its kind's scale (whole numbers only). */
export function scoreInRange(kind: SurveyKind, score: number): boolean {
  const { min, max } = SCORE_RANGE[kind];
  return Number.isInteger(score) && score >= min && score <= max;
}

export type NpsClass = 'promoter' | 'passive' | 'detractor';

export function npsClassOf(score: number): NpsClass {
  if (score >= 9) return 'promoter';
  if (score >= 7) return 'passive';
  return 'detractor';
}

/** What a group's figures are computed from: counts a query can sum without reading rows. */
export interface SatisfactionCounts {
  csatResponses: number;
  csatSum: number;
  npsResponses: number;
  promoters: number;
  passives: number;
  detractors: number;
}

export const NO_COUNTS: SatisfactionCounts = {
  csatResponses: 0,
  csatSum: 0,
  npsResponses: 0,
  promoters: 0,
  passives: 0,
  detractors: 0,
};

/** The counts with one more response. */
export function addResponse(counts: SatisfactionCounts, kind: SurveyKind, score: number): SatisfactionCounts {
  if (kind === 'csat') {
    return { ...counts, csatResponses: counts.csatResponses + 1, csatSum: counts.csatSum + score };
  }
  const cls = npsClassOf(score);
  return {
    ...counts,
    npsResponses: counts.npsResponses + 1,
    promoters: counts.promoters + (cls === 'promoter' ? 1 : 0),
    passives: counts.passives + (cls === 'passive' ? 1 : 0),
    detractors: counts.detractors + (cls === 'detractor' ? 1 : 0),
  };
}

export interface SatisfactionFigures {
  responses: number;
  csat: { responses: number; average: number | null };
  nps: {
    responses: number;
    promoters: number;
    passives: number;
    detractors: number;
    /** % promoters - % detractors, -100..100, two decimals; null without NPS answers. */
    score: number | null;
  };
}

const round = (value: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};

/** The figures of a group; averages are null where the group has no answer of that kind. */
export function satisfactionOf(counts: SatisfactionCounts): SatisfactionFigures {
  const { csatResponses, csatSum, npsResponses, promoters, passives, detractors } = counts;
  return {
    responses: csatResponses + npsResponses,
    csat: {
      responses: csatResponses,
      average: csatResponses === 0 ? null : round(csatSum / csatResponses, 4),
    },
    nps: {
      responses: npsResponses,
      promoters,
      passives,
      detractors,
      score: npsResponses === 0 ? null : round((100 * (promoters - detractors)) / npsResponses, 2),
    },
  };
}
