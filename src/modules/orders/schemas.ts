import { Type, type Static } from 'typebox';
import { BatchResult, batchBodyOf, ExternalIdParams } from '../shared/batch/schemas';
import { DateOnly, Nullable, PageCursor, PageLimit, Timestamp, Uuid, pageOf } from '../../schemas/common';
import { Sku } from '../products/schemas';
import { Currency, FxRate, Money } from './money-schema';

import { ORDER_STATUSES, type OrderStatus } from '../../domain/orders/order-plan';

export { ORDER_STATUSES, type OrderStatus };
/** Orders that still count: receivables, credit and value. Cancelled and returned ones leave the figures. */
export const OPEN_ORDER_STATUSES: readonly OrderStatus[] = ['placed', 'shipped'];

const ExternalId = Type.String({
  minLength: 1,
  maxLength: 200,
  description: "Your system's id; unique among orders.",
});

export const OrderLineInput = Type.Object(
  {
    productId: Type.Optional(
      Type.String({ format: 'uuid', description: 'The product, or name it by `sku`.' }),
    ),
    sku: Type.Optional(Sku),
    quantity: Type.Integer({ minimum: 1, maximum: 1000000000 }),
    unitPrice: Money,
  },
  { additionalProperties: false, description: 'One of `productId` or `sku`.' },
);
export type OrderLineInput = Static<typeof OrderLineInput>;

const fields = {
  externalId: ExternalId,
  customerId: Type.String({
    format: 'uuid',
    description: 'The customer, or name it by `customerExternalId`.',
  }),
  customerExternalId: Type.String({ minLength: 1, maxLength: 200 }),
  orderedAt: Timestamp,
  amount: {
    ...Money,
    description: 'The order total; when `lines` are given they must add up to it exactly.',
  },
  currency: Currency,
  fxRate: FxRate,
  lines: Type.Array(OrderLineInput, { maxItems: 500 }),
  region: Nullable(Type.String({ minLength: 1, maxLength: 100 })),
  status: Type.Enum(ORDER_STATUSES, {
    description: 'Cancelled and returned orders leave receivables, credit and value.',
  }),
  paymentTermsDays: Type.Integer({
    minimum: 0,
    maximum: 3650,
    description: 'Days until payment is due; default 30.',
  }),
};

const orderExample = {
  externalId: 'SO-10042',
  customerExternalId: 'ERP-10042',
  orderedAt: '2026-11-20T10:00:00Z',
  amount: '59.70',
  currency: 'USD',
  region: 'north',
  lines: [{ sku: 'WID-100', quantity: 3, unitPrice: '19.90' }],
};

export const OrderCreate = Type.Object(
  {
    externalId: Type.Optional(fields.externalId),
    customerId: Type.Optional(fields.customerId),
    customerExternalId: Type.Optional(fields.customerExternalId),
    orderedAt: fields.orderedAt,
    amount: fields.amount,
    currency: fields.currency,
    fxRate: Type.Optional(fields.fxRate),
    lines: Type.Optional(fields.lines),
    region: Type.Optional(fields.region),
    status: Type.Optional(fields.status),
    paymentTermsDays: Type.Optional(fields.paymentTermsDays),
  },
  {
    additionalProperties: false,
    description: 'Name the customer by `customerId` or `customerExternalId`.',
    example: orderExample,
  },
);
export type OrderCreate = Static<typeof OrderCreate>;

export const OrderBatchItem = Type.Object(
  { ...OrderCreate.properties, externalId: fields.externalId },
  { additionalProperties: false },
);
export type OrderBatchItem = Static<typeof OrderBatchItem>;

export const OrderBatch = batchBodyOf(OrderBatchItem, orderExample);

export const OrderPatch = Type.Partial(
  Type.Object({
    orderedAt: fields.orderedAt,
    amount: fields.amount,
    currency: fields.currency,
    fxRate: fields.fxRate,
    lines: fields.lines,
    region: fields.region,
    status: fields.status,
    paymentTermsDays: fields.paymentTermsDays,
  }),
  { additionalProperties: false, minProperties: 1, example: { status: 'shipped', region: 'south' } },
);
export type OrderPatch = Static<typeof OrderPatch>;

export const OrderLine = Type.Object({
  lineNo: Type.Integer(),
  productId: Uuid,
  sku: Type.String(),
  quantity: Type.Integer(),
  unitPrice: Type.String(),
  total: Type.String({ description: 'quantity x unitPrice, exact.' }),
});

export const Order = Type.Object(
  {
    id: Uuid,
    externalId: Nullable(Type.String()),
    customerId: Uuid,
    orderedAt: Timestamp,
    amount: Type.String({ description: 'Decimal string in `currency`.' }),
    currency: Type.String(),
    fxRate: Type.String({ description: 'Reporting-currency units per unit of `currency`.' }),
    reportingAmount: Type.String({
      description: 'amount x fxRate, rounded to 4 decimals: what reports use.',
    }),
    reportingCurrency: Type.String(),
    region: Nullable(Type.String()),
    status: Type.Enum(ORDER_STATUSES),
    paymentTermsDays: Type.Integer(),
    dueDate: DateOnly,
    lines: Type.Array(OrderLine),
    crossRegion: Type.Boolean({
      description: "A channel customer's order shipped outside its assigned regions.",
    }),
    overCreditLimit: Type.Boolean({
      description:
        "When created, the order took the customer's balance past its suggested credit limit (flagged, not refused).",
    }),
    version: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Order', title: 'Order' },
);
export type Order = Static<typeof Order>;

export const ORDER_SORTS = ['orderedAt', '-orderedAt'] as const;

export const OrderListQuery = Type.Object(
  {
    limit: Type.Optional(PageLimit),
    cursor: Type.Optional(PageCursor),
    sort: Type.Optional(Type.Enum(ORDER_SORTS, { description: 'Default `-orderedAt` (newest first).' })),
    customerId: Type.Optional(Type.String({ format: 'uuid' })),
    customerExternalId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    orderedFrom: Type.Optional(Timestamp),
    orderedTo: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive upper bound.' })),
    status: Type.Optional(Type.Enum(ORDER_STATUSES)),
    productId: Type.Optional(
      Type.String({ format: 'uuid', description: 'Orders with a line of this product.' }),
    ),
    sku: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'Orders with a line of this sku.' }),
    ),
    region: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    crossRegion: Type.Optional(Type.Boolean()),
    overCreditLimit: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type OrderListQuery = Static<typeof OrderListQuery>;

export const OrderPage = pageOf(Type.Ref('Order'));

export const OrderBatchResult = BatchResult;

export { ExternalIdParams };
