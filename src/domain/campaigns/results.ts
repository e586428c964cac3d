import { fromUnits } from '../money';

/**
 * A campaign's results from its frozen recipients, its touches and the orders (docs/campaigns.md
 * "Results"). Pure: the service loads the rows, attributes the orders (attribution.ts) and hands
 * them in; every figure is decided here.
 */
export const TOUCH_KINDS = ['delivered', 'opened', 'responded', 'converted'] as const;
export type TouchKind = (typeof TOUCH_KINDS)[number];

/** A touch of a response kind makes its recipient `responded` (and leaves the next wave). */
export const RESPONSE_KINDS: ReadonlySet<string> = new Set(['responded', 'converted']);

export interface ResultsInput {
  /** Epoch ms of the launch; touches before it count nowhere. */
  launchedAt: number;
  cost: bigint;
  recipients: ReadonlyArray<{ customerId: string; control: boolean }>;
  /** This campaign's touches. */
  touches: ReadonlyArray<{ customerId: string; kind: string; at: number; wave: number }>;
  /** Counted orders attributed to a touch of this campaign, with that touch's wave. */
  attributed: ReadonlyArray<{ customerId: string; amount: bigint; wave: number }>;
  /**
   * Counted orders of recipients and control group alike placed from launchedAt within the
   * window (launchedAt <= orderedAt <= launchedAt + window), attribution aside: the uplift's.
   */
  windowOrders: ReadonlyArray<{ customerId: string; amount: bigint }>;
  /** For win-back campaigns: the recipients churned at launch (else undefined). */
  churnedAtLaunch?: ReadonlySet<string>;
}

export interface GroupFigures {
  customers: number;
  /** Customers with at least one window order. */
  buyers: number;
  conversionRate: number | null;
  revenue: string;
  revenuePerCustomer: string | null;
}

export interface WaveFigures {
  wave: number;
  reached: number;
  responded: number;
  converted: number;
  revenue: string;
}

export interface CampaignFigures {
  recipients: number;
  controlGroup: number;
  reached: number;
  responded: number;
  converted: number;
  revenue: string;
  cost: string;
  roi: number | null;
  waves: WaveFigures[];
  wonBack: number | null;
  uplift: {
    recipients: GroupFigures;
    control: GroupFigures;
    conversionRate: { difference: number | null; ratio: number | null };
    revenuePerCustomer: { difference: string | null; ratio: number | null };
  };
}

/** Ratios are answered to six decimals: enough to read, and stable across databases. */
export const roundRatio = (x: number): number => Math.round(x * 1e6) / 1e6;

/** n / d in money units, rounded half away from zero (d > 0). */
function divideUnits(n: bigint, d: bigint): bigint {
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const q = (abs * 2n + d) / (2n * d);
  return negative ? -q : q;
}

/** (revenue - cost) / cost, null when the campaign cost nothing. */
export function returnOnInvestment(revenue: bigint, cost: bigint): number | null {
  if (cost === 0n) return null;
  return roundRatio(Number(revenue - cost) / Number(cost));
}

function groupFigures(
  ids: readonly string[],
  orders: ReadonlyMap<string, bigint>,
): GroupFigures & {
  units: bigint;
} {
  let buyers = 0;
  let units = 0n;
  for (const id of ids) {
    const amount = orders.get(id);
    if (amount === undefined) continue;
    buyers += 1;
    units += amount;
  }
  const n = ids.length;
  return {
    customers: n,
    buyers,
    conversionRate: n === 0 ? null : roundRatio(buyers / n),
    revenue: fromUnits(units),
    revenuePerCustomer: n === 0 ? null : fromUnits(divideUnits(units, BigInt(n))),
    units,
  };
}

/**
 * Uplift of the recipients over the control group: each figure of the recipients minus the
 * control group's, and that difference over the control group's figure (null when the control
 * group is empty or its figure is 0). Computed from the exact counts and sums, rounded once.
 */
export function upliftOf(
  recipients: { customers: number; buyers: number; units: bigint },
  control: { customers: number; buyers: number; units: bigint },
): Pick<CampaignFigures['uplift'], 'conversionRate' | 'revenuePerCustomer'> {
  const nR = BigInt(recipients.customers);
  const nC = BigInt(control.customers);
  if (nR === 0n || nC === 0n)
    return {
      conversionRate: { difference: null, ratio: null },
      revenuePerCustomer: { difference: null, ratio: null },
    };
  const rateDiff = recipients.buyers / recipients.customers - control.buyers / control.customers;
  // (bR/nR - bC/nC) / (bC/nC) = (bR nC - bC nR) / (bC nR), exact in integers.
  const rateRatio =
    control.buyers === 0
      ? null
      : roundRatio(
          (recipients.buyers * control.customers - control.buyers * recipients.customers) /
            (control.buyers * recipients.customers),
        );
  const revenueNumerator = recipients.units * nC - control.units * nR;
  return {
    conversionRate: { difference: roundRatio(rateDiff), ratio: rateRatio },
    revenuePerCustomer: {
      difference: fromUnits(divideUnits(revenueNumerator, nR * nC)),
      ratio: control.units === 0n ? null : roundRatio(Number(revenueNumerator) / Number(control.units * nR)),
    },
  };
}

export function campaignFigures(input: ResultsInput): CampaignFigures {
  const counted = input.touches.filter((t) => t.at >= input.launchedAt);
  const recipientIds = input.recipients.filter((r) => !r.control).map((r) => r.customerId);
  const controlIds = input.recipients.filter((r) => r.control).map((r) => r.customerId);

  const reached = new Set<string>();
  const responded = new Set<string>();
  const waves = new Map<
    number,
    { reached: Set<string>; responded: Set<string>; converted: Set<string>; units: bigint }
  >();
  const wave = (n: number) => {
    let w = waves.get(n);
    if (!w) waves.set(n, (w = { reached: new Set(), responded: new Set(), converted: new Set(), units: 0n }));
    return w;
  };
  for (const t of counted) {
    reached.add(t.customerId);
    wave(t.wave).reached.add(t.customerId);
    if (RESPONSE_KINDS.has(t.kind)) {
      responded.add(t.customerId);
      wave(t.wave).responded.add(t.customerId);
    }
  }
  const converted = new Set<string>();
  let revenue = 0n;
  for (const o of input.attributed) {
    converted.add(o.customerId);
    revenue += o.amount;
    const w = wave(o.wave);
    w.converted.add(o.customerId);
    w.units += o.amount;
  }

  const windowByCustomer = new Map<string, bigint>();
  for (const o of input.windowOrders)
    windowByCustomer.set(o.customerId, (windowByCustomer.get(o.customerId) ?? 0n) + o.amount);
  const { units: rUnits, ...recipientGroup } = groupFigures(recipientIds, windowByCustomer);
  const { units: cUnits, ...controlGroup } = groupFigures(controlIds, windowByCustomer);
  const uplift = upliftOf({ ...recipientGroup, units: rUnits }, { ...controlGroup, units: cUnits });

  let wonBack: number | null = null;
  if (input.churnedAtLaunch) {
    wonBack = recipientIds.filter((id) => input.churnedAtLaunch!.has(id) && windowByCustomer.has(id)).length;
  }

  return {
    recipients: recipientIds.length,
    controlGroup: controlIds.length,
    reached: reached.size,
    responded: responded.size,
    converted: converted.size,
    revenue: fromUnits(revenue),
    cost: fromUnits(input.cost),
    roi: returnOnInvestment(revenue, input.cost),
    waves: [...waves.entries()]
      .sort(([a], [b]) => a - b)
      .map(([n, w]) => ({
        wave: n,
        reached: w.reached.size,
        responded: w.responded.size,
        converted: w.converted.size,
        revenue: fromUnits(w.units),
      })),
    wonBack,
    uplift: {
      recipients: recipientGroup,
      control: controlGroup,
      ...uplift,
    },
  };
}
