import {
  checkLineSum,
  convertUnits,
  fromUnits,
  normalizeMoney,
  normalizeRate,
  toUnits,
  truncateToCents,
} from '../../src/domain/money';

test('parses and formats exactly, with at least two decimals', () => {
  expect(toUnits('1234.5')).toBe(12345000n);
  expect(fromUnits(12345000n)).toBe('1234.50');
  expect(fromUnits(1n)).toBe('0.0001');
  expect(fromUnits(-600000n)).toBe('-60.00');
  expect(normalizeMoney('12.5000')).toBe('12.50');
  expect(normalizeMoney('7')).toBe('7.00');
  expect(normalizeRate('1.0850000000')).toBe('1.085');
  expect(normalizeRate('1.0000000000')).toBe('1');
});

test('refuses grouping, exponents and too many decimals', () => {
  for (const bad of ['1,000.00', '1e5', '1.23456', 'abc', '']) expect(() => toUnits(bad)).toThrow();
});

test('0.10 added a thousand times is 100.00', () => {
  let total = 0n;
  for (let i = 0; i < 1000; i++) total += toUnits('0.10');
  expect(fromUnits(total)).toBe('100.00');
});

test('conversion rounds half away from zero at 4 decimals, like round(numeric, 4)', () => {
  expect(fromUnits(convertUnits(toUnits('10.0001'), '0.5'))).toBe('5.0001');
  expect(fromUnits(convertUnits(toUnits('0.0001'), '0.5'))).toBe('0.0001');
  expect(fromUnits(convertUnits(toUnits('-0.0001'), '0.5'))).toBe('-0.0001');
  expect(fromUnits(convertUnits(toUnits('100.00'), '1.085'))).toBe('108.50');
});

test('line sums are exact', () => {
  expect(checkLineSum('59.70', [{ quantity: 3, unitPrice: '19.90' }]).ok).toBe(true);
  expect(
    checkLineSum('0.30', [
      { quantity: 1, unitPrice: '0.1' },
      { quantity: 1, unitPrice: '0.2' },
    ]).ok,
  ).toBe(true);
  expect(checkLineSum('59.71', [{ quantity: 3, unitPrice: '19.90' }])).toEqual(
    expect.objectContaining({ ok: false, linesTotal: 597000n }),
  );
  expect(fromUnits(truncateToCents(291666n))).toBe('29.16');
});
