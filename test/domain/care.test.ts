import { addDays, annualDate, windowOf, yearsBetween } from '../../src/domain/care/calendar';
import {
  LUNAR_HOLIDAYS,
  lunarKey,
  lunarKeysOfDay,
  lunarOf,
  lunarToGregorian,
} from '../../src/domain/care/lunar';
import {
  annualOccurrences,
  compareOccasions,
  holidaysIn,
  lunarOccurrences,
  parseFixedHolidays,
} from '../../src/domain/care/occasions';

describe('lunar dates against the calendar', () => {
  // Known dates (published Chinese calendars): Mid-Autumn 2026 is 25 September, the Spring
  // Festival 17 February 2026 and 6 February 2027, Dragon Boat 19 June 2026, Lantern 3 March 2026;
  // 2025 has a leap sixth month from 25 July.
  test.each([
    [{ month: 8, day: 15, leapMonth: false }, 2026, '2026-09-25'],
    [{ month: 1, day: 1, leapMonth: false }, 2026, '2026-02-17'],
    [{ month: 1, day: 1, leapMonth: false }, 2027, '2027-02-06'],
    [{ month: 5, day: 5, leapMonth: false }, 2026, '2026-06-19'],
    [{ month: 1, day: 15, leapMonth: false }, 2026, '2026-03-03'],
    [{ month: 6, day: 1, leapMonth: true }, 2025, '2025-07-25'],
  ])('%j in lunar year %d is %s', (date, year, expected) => {
    expect(lunarToGregorian(date, year)).toBe(expected);
  });

  test('a leap month the year lacks falls back to the regular month', () => {
    expect(lunarToGregorian({ month: 6, day: 1, leapMonth: true }, 2026)).toBe(
      lunarToGregorian({ month: 6, day: 1, leapMonth: false }, 2026),
    );
    // 2025 has both: the regular sixth month comes first.
    expect(lunarToGregorian({ month: 6, day: 1, leapMonth: false }, 2025) < '2025-07-25').toBe(true);
  });

  test('day 30 of a 29-day month falls on its last day', () => {
    const last = lunarToGregorian({ month: 12, day: 29, leapMonth: false }, 2026);
    expect(lunarOf(last)).toEqual(expect.objectContaining({ month: 12, day: 29, lastOfMonth: true }));
    expect(lunarToGregorian({ month: 12, day: 30, leapMonth: false }, 2026)).toBe(last);
  });

  test('the keys of a day are exactly the birthdays that fall on it (two lunar years, every day)', () => {
    const birthdays = [];
    for (let month = 1; month <= 12; month++)
      for (let day = 1; day <= 30; day++)
        for (const leapMonth of [false, true]) birthdays.push({ month, day, leapMonth });
    for (const year of [2025, 2026]) {
      for (const b of birthdays) {
        const date = lunarToGregorian(b, year);
        expect({ b, date, has: lunarKeysOfDay(date).includes(lunarKey(b)) }).toEqual({ b, date, has: true });
      }
    }
    for (let d = '2025-03-01'; d < '2027-01-01'; d = addDays(d, 1)) {
      const { year } = lunarOf(d);
      for (const key of lunarKeysOfDay(d)) {
        const [month, day, leap] = key.split('-');
        expect(
          lunarToGregorian({ month: Number(month), day: Number(day), leapMonth: leap === 'true' }, year),
        ).toBe(d);
      }
    }
  });
});

describe('Gregorian dates', () => {
  test('February 29 falls on February 28 in a common year', () => {
    expect(annualDate(2, 29, 2027)).toBe('2027-02-28');
    expect(annualDate(2, 29, 2028)).toBe('2028-02-29');
    expect(annualDate(2, 29, 2100)).toBe('2100-02-28');
    expect(annualDate(2, 29, 2000)).toBe('2000-02-29');
  });

  test('window and years', () => {
    expect(windowOf('2026-12-20', 30)).toEqual({ start: '2026-12-20', end: '2027-01-18' });
    expect(yearsBetween('1990-05-17', '2026-05-17')).toBe(36);
    expect(yearsBetween('1990-05-17', '2026-05-16')).toBe(35);
  });

  test('birthdays and anniversaries in a window across the new year', () => {
    const window = windowOf('2026-12-20', 30);
    expect(annualOccurrences('1990-01-05', window)).toEqual([{ date: '2027-01-05', years: 37 }]);
    expect(annualOccurrences('1990-12-25', window)).toEqual([{ date: '2026-12-25', years: 36 }]);
    expect(annualOccurrences('1990-12-19', window)).toEqual([]);
    // A first purchase inside the window is not its own anniversary.
    expect(annualOccurrences('2026-12-22', window)).toEqual([]);
    expect(annualOccurrences('2024-02-29', windowOf('2027-02-27', 3))).toEqual([
      { date: '2027-02-28', years: 3 },
    ]);
  });

  test('lunar occurrences in a window', () => {
    expect(lunarOccurrences({ month: 8, day: 15, leapMonth: false }, windowOf('2026-09-01', 30))).toEqual([
      { date: '2026-09-25', years: null },
    ]);
    expect(lunarOccurrences({ month: 8, day: 15, leapMonth: false }, windowOf('2026-10-01', 30))).toEqual([]);
  });
});

describe('holidays', () => {
  test('CARE_FIXED_HOLIDAYS parses, and refuses a malformed list', () => {
    expect(parseFixedHolidays('01-01:New Year, 05-01:Labour Day')).toEqual([
      { month: 1, day: 1, name: 'New Year' },
      { month: 5, day: 1, name: 'Labour Day' },
    ]);
    expect(parseFixedHolidays('')).toEqual([]);
    expect(parseFixedHolidays('13-01:Nope')).toBeUndefined();
    expect(parseFixedHolidays('02-30:Nope')).toBeUndefined();
    expect(parseFixedHolidays('New Year')).toBeUndefined();
  });

  test('fixed and lunar holidays in a window, by date', () => {
    const fixed = parseFixedHolidays('01-01:New Year,05-01:Labour Day')!;
    expect(holidaysIn(fixed, LUNAR_HOLIDAYS, windowOf('2026-12-25', 60))).toEqual([
      { date: '2027-01-01', name: 'New Year', calendar: 'gregorian' },
      { date: '2027-02-06', name: 'Spring Festival', calendar: 'lunar' },
      { date: '2027-02-20', name: 'Lantern Festival', calendar: 'lunar' },
    ]);
  });
});

test('occasions sort by predicted CLV (unvalued last), then date', () => {
  const items = [
    { clv: null, date: '2026-12-01', customerId: 'a', kind: 'birthday' },
    { clv: 100, date: '2026-12-09', customerId: 'b', kind: 'birthday' },
    { clv: 900, date: '2026-12-20', customerId: 'c', kind: 'anniversary' },
    { clv: 100, date: '2026-12-02', customerId: 'd', kind: 'birthday' },
  ];
  expect(items.sort(compareOccasions).map((i) => i.customerId)).toEqual(['c', 'd', 'b', 'a']);
});
