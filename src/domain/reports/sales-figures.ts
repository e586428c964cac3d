/**
 * The sales report's figures from exact money: revenue in bigint units of 1/10,000 of the
 * reporting currency (src/domain/money), so that groups add up to the total to the cent.
 */
import { fromUnits, toUnits } from '../money';

/** units / count rounded half away from zero to the cent, as money text; null for no orders. */
export function averageOf(units: bigint, count: number): string | null {
  if (count === 0) return null;
  const divisor = BigInt(count) * 100n;
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const cents = (abs * 2n + divisor) / (divisor * 2n);
  return fromUnits((negative ? -cents : cents) * 100n);
}

/** part / whole to 4 decimals; null when the whole is 0. */
export function shareOf(part: bigint, whole: bigint): number | null {
  if (whole === 0n) return null;
  return Math.round(Number((part * 1_000_000n) / whole) / 100) / 10_000;
}

/** Money text from SQL (numeric, any scale) to units. */
export const unitsOf = (text: string | null | undefined): bigint => (text ? toUnits(text) : 0n);
