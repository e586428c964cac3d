import { Type } from 'typebox';
import { NON_NEGATIVE_MONEY_PATTERN, RATE_PATTERN } from '../../domain/money';

/** Money on the wire: a decimal string, never a JSON number, no grouping, no exponent. */
export const Money = Type.String({
  pattern: NON_NEGATIVE_MONEY_PATTERN,
  description:
    'Decimal string, up to 15 digits and 4 decimals, e.g. `"1234.50"`. Not `1,234.50`, not `1e5`, not a number.',
  example: '1234.50',
});

/** Read-side money, which may be negative (a credit balance). */
export const SignedMoney = Type.String({
  pattern: '^-?\\d+\\.\\d{2,4}$',
  description: 'Decimal string; negative for a credit balance.',
  example: '1234.50',
});

export const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code.', example: 'USD' });

export const FxRate = Type.String({
  pattern: RATE_PATTERN,
  description:
    'Units of the reporting currency (REPORTING_CURRENCY, default USD) per unit of `currency`, as a decimal string. ' +
    'Required when `currency` is not the reporting currency; `"1"` or absent when it is.',
  example: '1.0850',
});
