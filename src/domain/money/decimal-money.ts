/**
 * Exact money for the domain: a decimal string becomes a bigint count of 1/10,000ths (the
 * NUMERIC(19,4) scale the database keeps), so sums and comparisons never touch floats.
 * The database does its own sums in NUMERIC; both are exact and agree.
 */
export const MONEY_SCALE = 4;
const UNIT = 10n ** BigInt(MONEY_SCALE);

/** The form the API accepts: up to 15 integer digits and 4 decimals; no signs other than `-`, no exponent, no grouping. */
export const MONEY_PATTERN = '^-?\\d{1,15}(\\.\\d{1,4})?$';
export const NON_NEGATIVE_MONEY_PATTERN = '^\\d{1,15}(\\.\\d{1,4})?$';
/** An exchange rate to the reporting currency: up to 6 integer digits and 10 decimals. */
export const RATE_PATTERN = '^\\d{1,6}(\\.\\d{1,10})?$';
const RATE_SCALE = 10;

const MONEY_RE = new RegExp(MONEY_PATTERN);
/** What NUMERIC columns hand back: any number of decimals (always exact for our columns). */
const NUMERIC_RE = /^(-?)(\d+)(?:\.(\d+))?$/;

export class MoneyFormatError extends Error {
  constructor(value: string) {
    super(`${JSON.stringify(value)} is not a decimal amount`);
    this.name = 'MoneyFormatError';
  }
}

export function isMoney(text: string): boolean {
  return MONEY_RE.test(text);
}

/** Decimal text to a bigint count of 10^-scale units; more decimals than `scale` (other than zeros) throw. */
export function parseScaled(text: string, scale: number): bigint {
  const match = NUMERIC_RE.exec(text);
  if (!match) throw new MoneyFormatError(text);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > scale && /[^0]/.test(fraction.slice(scale))) throw new MoneyFormatError(text);
  const value =
    BigInt(whole!) * 10n ** BigInt(scale) + BigInt((fraction.slice(0, scale) || '0').padEnd(scale, '0'));
  return sign === '-' ? -value : value;
}

/** Decimal text (API input or a NUMERIC column) to units of 1/10,000. */
export function toUnits(text: string): bigint {
  return parseScaled(text, MONEY_SCALE);
}

/** Units back to text with at least two decimals: 12.5 -> "12.50", 0.1234 -> "0.1234". */
export function fromUnits(units: bigint): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = abs / UNIT;
  let fraction = (abs % UNIT).toString().padStart(MONEY_SCALE, '0');
  while (fraction.length > 2 && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** Amounts with exactly two decimals and no leading zero are canonical already (most are). */
const CANONICAL_MONEY = /^(?:0|[1-9]\d{0,14})\.\d\d$/;

/** Canonical text of an amount: what the API answers for NUMERIC values. */
export function normalizeMoney(text: string): string {
  return CANONICAL_MONEY.test(text) ? text : fromUnits(toUnits(text));
}

export function sumUnits(values: Iterable<bigint>): bigint {
  let total = 0n;
  for (const v of values) total += v;
  return total;
}

/** Division rounding half away from zero, like PostgreSQL's round(numeric). */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (n + d / 2n) / d;
  return negative ? -q : q;
}

/** amount x rate rounded to 4 decimals, half away from zero: the database's `round(amount * fx_rate, 4)`. */
export function convertUnits(amount: bigint, rate: string): bigint {
  if (rate === '1') return amount;
  return divideRounded(amount * parseScaled(rate, RATE_SCALE), 10n ** BigInt(RATE_SCALE));
}

/** Rates without a leading zero, trailing zeros or more than 10 decimals are canonical already. */
const CANONICAL_RATE = /^(?:0|[1-9]\d{0,5})(?:\.\d{0,9}[1-9])?$/;

/** Canonical text of a rate: "1.2500000000" -> "1.25". */
export function normalizeRate(text: string): string {
  if (CANONICAL_RATE.test(text)) return text;
  return scaledText(parseScaled(text, RATE_SCALE), RATE_SCALE);
}

/** A non-negative count of 10^-scale units as text without trailing zeros: 25000n at 6 -> "0.025". */
export function scaledText(units: bigint, scale: number): string {
  const whole = units / 10n ** BigInt(scale);
  const fraction = (units % 10n ** BigInt(scale)).toString().padStart(scale, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

/** Truncates towards zero to whole cents (for limits people read). */
export function truncateToCents(units: bigint): bigint {
  return (units / 100n) * 100n;
}
