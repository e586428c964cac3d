import { Type } from 'typebox';
import { DateOnly, Nullable, Uuid } from '../../schemas/common';
import { SignedMoney } from '../orders/money-schema';
import { Aging } from '../payments/schemas';

export const CreditEvaluation = Type.Object({
  customerId: Uuid,
  asOf: DateOnly,
  currency: Type.String({ description: 'The reporting currency of every amount here.' }),
  score: Type.Integer({ minimum: 0, maximum: 100 }),
  grade: Type.Enum(['A', 'B', 'C', 'D', 'E']),
  suggestedLimit: SignedMoney,
  outstanding: SignedMoney,
  overdue: SignedMoney,
  overdueDays: Type.Integer(),
  aging: Aging,
  factors: Type.Object({
    onTimeShare: Nullable(
      Type.Number({ description: 'Share of due or paid orders paid in full by their due date.' }),
    ),
    averageDaysToPay: Nullable(Type.Number()),
    largestOverdue: SignedMoney,
    averageOrderAmount: SignedMoney,
    billedLastYear: SignedMoney,
  }),
});
