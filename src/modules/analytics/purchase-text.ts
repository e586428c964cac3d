import type { PurchaseDayBuffer } from '../../domain/value';

const SPACE = 32;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
/** Up to 15 digits a decimal's digits make an exact integer in a double. */
const EXACT_DIGITS = 15;
const POWERS_OF_TEN = Array.from({ length: EXACT_DIGITS + 1 }, (_, k) => 10 ** k);

/**
 * Reads "day amount day amount ..." (AnalyticsRepository.purchasesQuery: integer epoch days,
 * decimal amounts as PostgreSQL prints NUMERIC) into `into`, without a string per number: a
 * run reads every order of every customer this way. A decimal of up to 15 digits is read as
 * digits / 10^scale, one correctly rounded division of two exact integers, so it equals
 * Number() of the same text; longer ones go through Number().
 */
export function readPurchases(text: string, into: PurchaseDayBuffer): void {
  const length = text.length;
  let at = 0;
  while (at < length) {
    // The day: an integer, possibly negative (before 1970).
    let negative = text.charCodeAt(at) === MINUS;
    if (negative) at++;
    let day = 0;
    let code = text.charCodeAt(at);
    while (at < length && code !== SPACE) {
      day = day * 10 + (code - ZERO);
      code = text.charCodeAt(++at);
    }
    if (negative) day = -day;
    at++;
    // The amount.
    const start = at;
    negative = text.charCodeAt(at) === MINUS;
    if (negative) at++;
    let digits = 0;
    let count = 0;
    let scale = -1;
    code = text.charCodeAt(at);
    while (at < length && code !== SPACE) {
      if (code === DOT) scale = 0;
      else {
        digits = digits * 10 + (code - ZERO);
        count++;
        if (scale >= 0) scale++;
      }
      code = text.charCodeAt(++at);
    }
    let amount: number;
    if (count <= EXACT_DIGITS) {
      amount = scale > 0 ? digits / (POWERS_OF_TEN[scale] as number) : digits;
      if (negative) amount = -amount;
    } else amount = Number(text.slice(start, at));
    into.add(day, amount);
    at++;
  }
}
