/** Exact money in the domain: decimal strings in and out, bigint units of 1/10,000 inside. */
export {
  MONEY_PATTERN,
  MONEY_SCALE,
  NON_NEGATIVE_MONEY_PATTERN,
  RATE_PATTERN,
  MoneyFormatError,
  convertUnits,
  divideRounded,
  fromUnits,
  isMoney,
  normalizeMoney,
  normalizeRate,
  parseScaled,
  scaledText,
  sumUnits,
  toUnits,
  truncateToCents,
} from './decimal-money';
export { lineTotal, checkLineSum, type LineInput, type LineSumCheck } from './line-sum';
