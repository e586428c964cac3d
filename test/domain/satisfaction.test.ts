import {
  addResponse,
  NO_COUNTS,
  npsClassOf,
  satisfactionOf,
  scoreInRange,
  type SurveyKind,
} from '../../src/domain/service/satisfaction';

const countsOf = (answers: Array<[SurveyKind, number]>) =>
  answers.reduce((c, [kind, score]) => addResponse(c, kind, score), NO_COUNTS);

test('scales: CSAT 1-5, NPS 0-10, whole numbers', () => {
  expect(scoreInRange('csat', 1)).toBe(true);
  expect(scoreInRange('csat', 5)).toBe(true);
  expect(scoreInRange('csat', 0)).toBe(false);
  expect(scoreInRange('csat', 6)).toBe(false);
  expect(scoreInRange('nps', 0)).toBe(true);
  expect(scoreInRange('nps', 10)).toBe(true);
  expect(scoreInRange('nps', 11)).toBe(false);
  expect(scoreInRange('nps', 7.5)).toBe(false);
});

test('promoters are 9-10, passives 7-8, detractors 0-6', () => {
  expect([0, 6, 7, 8, 9, 10].map(npsClassOf)).toEqual([
    'detractor',
    'detractor',
    'passive',
    'passive',
    'promoter',
    'promoter',
  ]);
});

test('figures against hand counts', () => {
  // CSAT 5, 4, 4, 2: (5 + 4 + 4 + 2) / 4 = 3.75.
  // NPS 10, 9, 9, 8, 7, 6, 3: 3 promoters, 2 passives, 2 detractors of 7:
  // 100 * 3/7 - 100 * 2/7 = 14.2857... -> 14.29.
  const figures = satisfactionOf(
    countsOf([
      ['csat', 5],
      ['csat', 4],
      ['csat', 4],
      ['csat', 2],
      ['nps', 10],
      ['nps', 9],
      ['nps', 9],
      ['nps', 8],
      ['nps', 7],
      ['nps', 6],
      ['nps', 3],
    ]),
  );
  expect(figures).toEqual({
    responses: 11,
    csat: { responses: 4, average: 3.75 },
    nps: { responses: 7, promoters: 3, passives: 2, detractors: 2, score: 14.29 },
  });
});

test('all detractors is -100, all promoters 100; no answers give null', () => {
  expect(
    satisfactionOf(
      countsOf([
        ['nps', 0],
        ['nps', 6],
      ]),
    ).nps.score,
  ).toBe(-100);
  expect(
    satisfactionOf(
      countsOf([
        ['nps', 9],
        ['nps', 10],
      ]),
    ).nps.score,
  ).toBe(100);
  expect(
    satisfactionOf(
      countsOf([
        ['nps', 7],
        ['nps', 8],
      ]),
    ).nps.score,
  ).toBe(0);
  const none = satisfactionOf(NO_COUNTS);
  expect(none.csat.average).toBeNull();
  expect(none.nps.score).toBeNull();
  expect(none.responses).toBe(0);
  expect(satisfactionOf(countsOf([['csat', 4]])).nps.score).toBeNull();
});
