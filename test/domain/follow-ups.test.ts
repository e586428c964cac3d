import { isDoneOnTime, isOverdue, rate, tallyFollowUps } from '../../src/domain/service/follow-ups';

const at = (iso: string) => new Date(iso);
const DAY = 1440;

test('on time is no later than the plan plus the grace, inclusive', () => {
  const planned = at('2026-11-10T09:00:00Z');
  expect(isDoneOnTime(planned, at('2026-11-11T09:00:00Z'), DAY)).toBe(true);
  expect(isDoneOnTime(planned, at('2026-11-11T09:00:00.001Z'), DAY)).toBe(false);
  expect(isDoneOnTime(planned, at('2026-11-09T09:00:00Z'), 0)).toBe(true);
  expect(isDoneOnTime(planned, at('2026-11-10T09:01:00Z'), 0)).toBe(false);
  expect(isDoneOnTime(planned, null, DAY)).toBe(false);
});

test('overdue: not done and the plan has passed', () => {
  const now = at('2026-11-20T00:00:00Z');
  expect(isOverdue(at('2026-11-19T23:59:59Z'), null, now)).toBe(true);
  expect(isOverdue(at('2026-11-20T00:00:00Z'), null, now)).toBe(false);
  expect(isOverdue(at('2026-11-01T00:00:00Z'), at('2026-11-25T00:00:00Z'), now)).toBe(false);
});

test('rates are fractions, null without a denominator', () => {
  expect(rate(1, 4)).toBe(0.25);
  expect(rate(0, 0)).toBeNull();
});

test('tally per owner and in total, computed by hand', () => {
  const now = at('2026-11-20T00:00:00Z');
  const rows = [
    // wang: 4 planned, 3 done (2 on time, 1 two days late), 1 open and overdue
    { owner: 'wang', plannedAt: at('2026-11-02T09:00:00Z'), completedAt: at('2026-11-02T10:00:00Z') },
    { owner: 'wang', plannedAt: at('2026-11-03T09:00:00Z'), completedAt: at('2026-11-04T08:00:00Z') },
    { owner: 'wang', plannedAt: at('2026-11-04T09:00:00Z'), completedAt: at('2026-11-06T09:00:00Z') },
    { owner: 'wang', plannedAt: at('2026-11-05T09:00:00Z'), completedAt: null },
    // li: 1 planned in the future, not done and not overdue
    { owner: 'li', plannedAt: at('2026-11-25T09:00:00Z'), completedAt: null },
  ];
  const { owners, total } = tallyFollowUps(rows, now, DAY);
  expect(owners).toEqual([
    { owner: 'li', planned: 1, done: 0, doneOnTime: 0, overdue: 0, completionRate: 0, onTimeRate: null },
    {
      owner: 'wang',
      planned: 4,
      done: 3,
      doneOnTime: 2,
      overdue: 1,
      completionRate: 0.75,
      onTimeRate: 2 / 3,
    },
  ]);
  expect(total).toEqual({
    planned: 5,
    done: 3,
    doneOnTime: 2,
    overdue: 1,
    completionRate: 0.6,
    onTimeRate: 2 / 3,
  });
  expect(tallyFollowUps([], now, DAY)).toEqual({
    owners: [],
    total: { planned: 0, done: 0, doneOnTime: 0, overdue: 0, completionRate: null, onTimeRate: null },
  });
});
