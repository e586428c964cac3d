import {
  boundDay,
  dayOf,
  lastDayOf,
  periodContaining,
  periodCount,
  periodsBetween,
  periodsEndingAt,
} from '../../src/domain/lifecycle/periods';

const d = (text: string) => new Date(`${text}T00:00:00Z`);
const shape = (p: { label: string; start: Date; stop: Date }) => [p.label, dayOf(p.start), lastDayOf(p)];

test('ISO weeks start on Monday and take the year of their Thursday', () => {
  // 2026-01-01 is a Thursday: its week is 2026-W01, from Monday 2025-12-29.
  expect(shape(periodContaining('week', d('2026-01-01')))).toEqual(['2026-W01', '2025-12-29', '2026-01-04']);
  // 2027-01-01 is a Friday: it belongs to the last week of 2026 (2026 has 53 ISO weeks).
  expect(shape(periodContaining('week', d('2027-01-01')))).toEqual(['2026-W53', '2026-12-28', '2027-01-03']);
  // A Sunday late in the evening is still in the week that began on Monday.
  expect(shape(periodContaining('week', new Date('2026-03-15T23:59:59.999Z')))).toEqual([
    '2026-W11',
    '2026-03-09',
    '2026-03-15',
  ]);
  expect(shape(periodContaining('week', d('2026-03-16')))).toEqual(['2026-W12', '2026-03-16', '2026-03-22']);
  // 2024-12-30 (Monday) starts 2025-W01.
  expect(periodContaining('week', d('2024-12-31')).label).toBe('2025-W01');
});

test('months and quarters, with leap years and year ends', () => {
  expect(shape(periodContaining('month', d('2028-02-17')))).toEqual(['2028-02', '2028-02-01', '2028-02-29']);
  expect(shape(periodContaining('month', new Date('2026-12-31T23:59:59Z')))).toEqual([
    '2026-12',
    '2026-12-01',
    '2026-12-31',
  ]);
  expect(shape(periodContaining('quarter', d('2026-05-31')))).toEqual([
    '2026-Q2',
    '2026-04-01',
    '2026-06-30',
  ]);
  expect(shape(periodContaining('quarter', d('2026-12-01')))).toEqual([
    '2026-Q4',
    '2026-10-01',
    '2026-12-31',
  ]);
});

test('ranges: consecutive periods sharing their bounds, counted before they are listed', () => {
  const weeks = periodsBetween('week', d('2026-12-20'), d('2027-01-05'));
  expect(weeks.map((w) => w.label)).toEqual(['2026-W51', '2026-W52', '2026-W53', '2027-W01']);
  for (let i = 1; i < weeks.length; i++) expect(weeks[i]!.start).toEqual(weeks[i - 1]!.stop);
  expect(periodCount('week', d('2026-12-20'), d('2027-01-05'))).toBe(4);
  expect(periodsBetween('quarter', d('2025-11-30'), d('2026-04-01')).map((q) => q.label)).toEqual([
    '2025-Q4',
    '2026-Q1',
    '2026-Q2',
  ]);
  expect(periodCount('quarter', d('2025-11-30'), d('2026-04-01'))).toBe(3);
  expect(periodCount('month', d('2024-01-31'), d('2026-12-01'))).toBe(36);
  expect(periodCount('month', d('2026-05-01'), d('2026-04-30'))).toBe(0);
  expect(periodsBetween('month', d('2026-05-01'), d('2026-04-30'))).toEqual([]);
  // The same period at both ends: one.
  expect(periodCount('week', d('2026-03-09'), d('2026-03-15'))).toBe(1);
});

test('the n periods ending with the current one', () => {
  const months = periodsEndingAt('month', new Date('2026-08-15T12:00:00Z'), 12);
  expect(months).toHaveLength(12);
  expect([months[0]!.label, months[11]!.label]).toEqual(['2025-09', '2026-08']);
  const quarters = periodsEndingAt('quarter', new Date('2026-08-15T12:00:00Z'), 3);
  expect(quarters.map((q) => q.label)).toEqual(['2026-Q1', '2026-Q2', '2026-Q3']);
  const weeks = periodsEndingAt('week', new Date('2026-01-01T12:00:00Z'), 2);
  expect(weeks.map((w) => w.label)).toEqual(['2025-W52', '2026-W01']);
});

test('report bounds: a day, or a month covered whole', () => {
  expect(dayOf(boundDay('2026-02-14', 'first')!)).toBe('2026-02-14');
  expect(dayOf(boundDay('2026-02', 'first')!)).toBe('2026-02-01');
  expect(dayOf(boundDay('2026-02', 'last')!)).toBe('2026-02-28');
  expect(dayOf(boundDay('2028-02', 'last')!)).toBe('2028-02-29');
  expect(dayOf(boundDay('2026-12', 'last')!)).toBe('2026-12-31');
  for (const bad of ['2026-13', '2026-00', '2026-02-30', '2026-2-01', '26-02', '2026-02-01T00:00:00Z', ''])
    expect([bad, boundDay(bad, 'first')]).toEqual([bad, undefined]);
});
