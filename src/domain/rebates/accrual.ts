/**
 * A channel's accrual for one period (docs/rebates.md): its net purchases from the orders the
 * caller has summed (open orders only: cancelled and returned ones are left out), the tier it
 * reaches and the rebate it has earned.
 */
import { isOutsideRegions, regionsOfChannel } from './regions';
import { rebateFor, type RebateMode, type RebateOutcome, type Tier } from './tiers';

/** The sum of a channel's counted orders in one region, its own or its indirect customers'. */
export interface PurchaseSum {
  channelId: string;
  /** True for the channel's own orders, false for its indirect customers'. */
  own: boolean;
  region: string | null;
  /** 1/10,000 units in the reporting currency. */
  amount: bigint;
}

export interface ChannelRegions {
  id: string;
  region: string | null;
  assignedRegions: readonly string[];
}

export interface AccrualRules {
  tiers: readonly Tier[];
  mode: RebateMode;
  creditIndirect: boolean;
  excludeCrossRegion: boolean;
}

export interface ChannelAccrual extends RebateOutcome {
  channelId: string;
  own: bigint;
  indirect: bigint;
  crossRegionExcluded: bigint;
  net: bigint;
}

export function accrueChannel(
  channel: ChannelRegions,
  sums: readonly PurchaseSum[],
  rules: AccrualRules,
): ChannelAccrual {
  const regions = regionsOfChannel(channel.assignedRegions, channel.region);
  let own = 0n;
  let indirect = 0n;
  let crossRegionExcluded = 0n;
  for (const sum of sums) {
    if (sum.channelId !== channel.id) continue;
    if (!sum.own && !rules.creditIndirect) continue;
    if (rules.excludeCrossRegion && isOutsideRegions(regions, sum.region)) {
      crossRegionExcluded += sum.amount;
      continue;
    }
    if (sum.own) own += sum.amount;
    else indirect += sum.amount;
  }
  const net = own + indirect;
  return {
    channelId: channel.id,
    own,
    indirect,
    crossRegionExcluded,
    net,
    ...rebateFor(net, rules.tiers, rules.mode),
  };
}
