import {
  daysToUnits,
  epochDayToIsoDate,
  monthsToUnits,
  toEpochDay,
  unitsPerMonth,
  utcEpochDayOf,
  ValueDomainError,
} from '../../src/domain/value';

describe('time units', () => {
  it('parses YYYY-MM-DD and epoch days to the same UTC day', () => {
    expect(toEpochDay('1970-01-01')).toBe(0);
    expect(toEpochDay('1997-09-30')).toBe(10134);
    expect(toEpochDay(10134)).toBe(10134);
    expect(epochDayToIsoDate(10134)).toBe('1997-09-30');
  });

  it('rejects impossible dates and fractional epoch days with invalid_input', () => {
    for (const bad of ['2023-02-29', '2023-13-01', '2023-1-01', 'yesterday', 1.5]) {
      expect(() => toEpochDay(bad)).toThrow(ValueDomainError);
    }
    try {
      toEpochDay('2023-02-29');
    } catch (e) {
      expect((e as ValueDomainError).code).toBe('invalid_input');
    }
  });

  it('takes the UTC calendar day of a timestamp, whatever its offset', () => {
    expect(utcEpochDayOf('1997-09-30T23:59:59Z')).toBe(10134);
    expect(utcEpochDayOf('1997-09-30T22:00:00-05:00')).toBe(10135);
    expect(utcEpochDayOf(new Date(Date.UTC(1997, 8, 30, 12)))).toBe(10134);
    expect(() => utcEpochDayOf('not a date')).toThrow(ValueDomainError);
  });

  it('converts days to fractional weeks and months (30.4375 days a month)', () => {
    expect(daysToUnits(272, 'week')).toBeCloseTo(38.857142857, 9);
    expect(daysToUnits(30.4375, 'month')).toBe(1);
    expect(unitsPerMonth('week')).toBeCloseTo(4.348, 3);
    expect(unitsPerMonth('day')).toBe(30.4375);
    expect(monthsToUnits(12, 'day')).toBe(365.25);
  });
});
