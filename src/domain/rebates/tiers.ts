/**
 * Rebate tiers and the rebate they earn (docs/rebates.md). Money is bigint units of
 * 1/10,000 (src/domain/money); a rate is a decimal fraction with up to 6 decimals, held as
 * bigint millionths, so every product is exact until the one rounding to cents.
 */
import { divideRounded, fromUnits, parseScaled, scaledText, toUnits } from '../money';

export type RebateMode = 'whole' | 'marginal';

export interface Tier {
  /** Net purchases from which the tier applies (inclusive), decimal text. */
  from: string;
  /** The rate, a decimal fraction between 0 and 1 ("0.02" is 2%). */
  rate: string;
}

export const RATE_PATTERN = '^(?:0(?:\\.\\d{1,6})?|1(?:\\.0{1,6})?)$';
const RATE_SCALE = 6;

/** A rate's text to millionths: "0.025" -> 25000n. */
export function rateUnits(rate: string): bigint {
  return parseScaled(rate, RATE_SCALE);
}

/** Millionths back to text without trailing zeros: 25000n -> "0.025", 0n -> "0". */
export function rateText(units: bigint): string {
  return scaledText(units, RATE_SCALE);
}

export interface TierProblem {
  index: number;
  field: 'from' | 'rate';
  code: 'tiers_not_increasing' | 'tier_rates_decreasing';
  message: string;
}

/**
 * A tier table is valid when each `from` is strictly above the one before it
 * (`tiers_not_increasing`) and no rate is below the one before it (`tier_rates_decreasing`):
 * selling more never earns a lower rate. Equal rates are allowed.
 */
export function tierProblems(tiers: readonly Tier[]): TierProblem[] {
  const problems: TierProblem[] = [];
  for (let i = 1; i < tiers.length; i++) {
    const previous = tiers[i - 1]!;
    const tier = tiers[i]!;
    if (toUnits(tier.from) <= toUnits(previous.from))
      problems.push({
        index: i,
        field: 'from',
        code: 'tiers_not_increasing',
        message: `must be greater than the previous tier's from (${previous.from})`,
      });
    if (rateUnits(tier.rate) < rateUnits(previous.rate))
      problems.push({
        index: i,
        field: 'rate',
        code: 'tier_rates_decreasing',
        message: `must not be lower than the previous tier's rate (${previous.rate})`,
      });
  }
  return problems;
}

/** Canonical tier text: "100000" -> "100000.00", "0.0200" -> "0.02". */
export function normalizeTiers(tiers: readonly Tier[]): Tier[] {
  return tiers.map((t) => ({ from: fromUnits(toUnits(t.from)), rate: rateText(rateUnits(t.rate)) }));
}

/**
 * units (1/10,000) x millionths is in 1/10,000,000,000; to whole cents (1/100) that is a
 * division by 10^8, rounded half up (the amounts here are never negative once clamped).
 * The answer is back in 1/10,000 units.
 */
const TO_CENTS = 10n ** 8n;
function roundHalfUpToCents(product: bigint): bigint {
  return divideRounded(product, TO_CENTS) * 100n;
}

export interface RebateOutcome {
  /** Index of the highest tier whose `from` the amount reaches; null below the first. */
  tierIndex: number | null;
  /** The reached tier's rate (in marginal mode the rate of the top band reached); 0 below the first tier. */
  rate: bigint;
  /** The rebate in 1/10,000 units, a whole number of cents. */
  rebate: bigint;
  /** The exact rebate before rounding, in 1/10,000,000,000 (for tests and audits). */
  exact: bigint;
  nextTierIndex: number | null;
  /** What is missing to reach the next tier; null at the top. */
  gap: bigint | null;
}

/**
 * The rebate on `net` (1/10,000 units) under `tiers` (valid, ascending):
 * - whole: the reached tier's rate on the whole amount;
 * - marginal: each tier's rate on the part of the amount inside its band [from_i, from_{i+1});
 *   nothing is earned below the first tier's `from`.
 * The exact sum is rounded once, half up to the cent. A net of zero or less earns nothing.
 */
export function rebateFor(net: bigint, tiers: readonly Tier[], mode: RebateMode): RebateOutcome {
  const froms = tiers.map((t) => toUnits(t.from));
  const rates = tiers.map((t) => rateUnits(t.rate));
  let tierIndex: number | null = null;
  for (let i = 0; i < froms.length; i++) if (net >= froms[i]!) tierIndex = i;
  let exact = 0n;
  if (tierIndex !== null && net > 0n) {
    if (mode === 'whole') exact = net * rates[tierIndex]!;
    else
      for (let i = 0; i <= tierIndex; i++) {
        const bandTop = i < tierIndex ? froms[i + 1]! : net;
        const bandBottom = froms[i]! > 0n ? froms[i]! : 0n;
        if (bandTop > bandBottom) exact += (bandTop - bandBottom) * rates[i]!;
      }
  }
  const nextTierIndex =
    tierIndex === null ? (froms.length > 0 ? 0 : null) : tierIndex + 1 < froms.length ? tierIndex + 1 : null;
  return {
    tierIndex,
    rate: tierIndex === null ? 0n : rates[tierIndex]!,
    rebate: roundHalfUpToCents(exact),
    exact,
    nextTierIndex,
    gap: nextTierIndex === null ? null : froms[nextTierIndex]! - net,
  };
}
