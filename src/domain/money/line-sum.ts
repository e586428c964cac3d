import { sumUnits, toUnits } from './decimal-money';

export interface LineInput {
  quantity: number;
  unitPrice: string;
}

export interface LineSumCheck {
  ok: boolean;
  /** The exact sum of quantity x unitPrice, in units of 1/10,000. */
  linesTotal: bigint;
  amount: bigint;
}

export function lineTotal(line: LineInput): bigint {
  return BigInt(line.quantity) * toUnits(line.unitPrice);
}

/** An order's lines must add up to its amount exactly (same currency, no rounding). */
export function checkLineSum(amount: string, lines: readonly LineInput[]): LineSumCheck {
  const linesTotal = sumUnits(lines.map(lineTotal));
  const total = toUnits(amount);
  return { ok: linesTotal === total, linesTotal, amount: total };
}
