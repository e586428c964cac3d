import { Type, type Static } from 'typebox';
import { BatchResult, batchBodyOf, ExternalIdParams } from '../shared/batch/schemas';
import { DateOnly, Nullable, PageCursor, PageLimit, Timestamp, Uuid, pageOf } from '../../schemas/common';
import { Currency, FxRate, Money, SignedMoney } from '../orders/money-schema';

export const AllocationInput = Type.Object(
  {
    orderId: Type.String({ format: 'uuid' }),
    amount: { ...Money, description: 'In the reporting currency, like every receivables figure.' },
  },
  { additionalProperties: false },
);

const paymentExample = {
  externalId: 'RC-2001',
  customerExternalId: 'ERP-10042',
  amount: '100.00',
  currency: 'USD',
  receivedAt: '2026-11-22T09:30:00Z',
  allocations: [{ orderId: '0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f', amount: '59.70' }],
};

export const PaymentCreate = Type.Object(
  {
    externalId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: "Your system's id; unique among payments." }),
    ),
    customerId: Type.Optional(Type.String({ format: 'uuid' })),
    customerExternalId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    amount: { ...Money, description: 'Greater than 0, in `currency`.' },
    currency: Currency,
    fxRate: Type.Optional(FxRate),
    receivedAt: Timestamp,
    method: Type.Optional(
      Nullable(Type.String({ minLength: 1, maxLength: 50, description: 'e.g. bank_transfer, card, cash.' })),
    ),
    reference: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
    allocations: Type.Optional(
      Type.Array(AllocationInput, {
        maxItems: 500,
        description: 'Orders this payment settles first; the rest goes to the oldest open orders.',
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'Name the customer by `customerId` or `customerExternalId`.',
    example: paymentExample,
  },
);
export type PaymentCreate = Static<typeof PaymentCreate>;

export const PaymentBatchItem = Type.Object(
  { ...PaymentCreate.properties, externalId: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type PaymentBatchItem = Static<typeof PaymentBatchItem>;

export const PaymentBatch = batchBodyOf(PaymentBatchItem, paymentExample);

export const Refund = Type.Object({
  id: Uuid,
  paymentId: Uuid,
  amount: Type.String({ description: "In the payment's currency." }),
  currency: Type.String(),
  refundedAt: Timestamp,
  reason: Nullable(Type.String()),
  createdAt: Timestamp,
});
export type Refund = Static<typeof Refund>;

export const RefundCreate = Type.Object(
  {
    amount: { ...Money, description: "Greater than 0, in the payment's currency." },
    refundedAt: Type.Optional(Timestamp),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false, example: { amount: '10.00', reason: 'overpaid' } },
);
export type RefundCreate = Static<typeof RefundCreate>;

export const Payment = Type.Object(
  {
    id: Uuid,
    externalId: Nullable(Type.String()),
    customerId: Uuid,
    amount: Type.String(),
    currency: Type.String(),
    fxRate: Type.String(),
    reportingAmount: Type.String({ description: 'amount x fxRate, rounded to 4 decimals.' }),
    reportingCurrency: Type.String(),
    receivedAt: Timestamp,
    method: Nullable(Type.String()),
    reference: Nullable(Type.String()),
    allocations: Type.Array(Type.Object({ orderId: Uuid, amount: Type.String() }), {
      description: 'The explicit allocations, in the reporting currency.',
    }),
    refunded: Type.String({ description: "Sum of refunds, in the payment's currency." }),
    refunds: Type.Array(Refund),
    version: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Payment', title: 'Payment' },
);
export type Payment = Static<typeof Payment>;

export const PaymentListQuery = Type.Object(
  {
    limit: Type.Optional(PageLimit),
    cursor: Type.Optional(PageCursor),
    customerId: Type.Optional(Type.String({ format: 'uuid' })),
    receivedFrom: Type.Optional(Timestamp),
    receivedTo: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive upper bound.' })),
  },
  { additionalProperties: false },
);
export type PaymentListQuery = Static<typeof PaymentListQuery>;

export const PaymentPage = pageOf(Type.Ref('Payment'));

export const PaymentBatchResult = BatchResult;

export { ExternalIdParams };

export const Aging = Type.Object(
  { '0-30': SignedMoney, '31-60': SignedMoney, '61-90': SignedMoney, '90+': SignedMoney },
  { description: 'Open amounts by days since the order day.' },
);

export const Receivables = Type.Object({
  customerId: Uuid,
  asOf: DateOnly,
  currency: Type.String({ description: 'The reporting currency.' }),
  outstanding: {
    ...SignedMoney,
    description: 'Open order amounts minus payments; negative is a credit balance.',
  },
  openOrders: SignedMoney,
  unapplied: { ...SignedMoney, description: 'Payments no open order absorbed: the credit balance.' },
  overdue: SignedMoney,
  overdueDays: Type.Integer({ description: 'Days past due of the oldest overdue order; 0 when none.' }),
  aging: Aging,
  orders: Type.Array(
    Type.Object({
      orderId: Uuid,
      orderedDate: DateOnly,
      dueDate: DateOnly,
      amount: SignedMoney,
      paid: SignedMoney,
      open: SignedMoney,
    }),
    { description: 'Open orders, oldest first.' },
  ),
});
