/**
 * Last-touch attribution across campaigns (docs/campaigns.md "Attribution"). An order of a
 * customer is attributed to the LAST touch before it among that customer's touches of ANY
 * campaign that
 *   - were at or after their own campaign's launch (`touch.at >= launchedAt`), and
 *   - reach the order within their campaign's window: `touch.at <= orderedAt <= touch.at +
 *     windowDays`.
 * So a later touch of another campaign takes the order away from an earlier one. A touch whose
 * window has run out by the order takes nothing; an earlier touch of a campaign with a longer
 * window may still reach the order and then takes it.
 * Equal times: the touch of the campaign launched later, then the larger campaign id, then
 * the larger touch id, wins, so the answer never depends on input order.
 * Cancelled and returned orders are not passed in (the caller leaves them out).
 */
export interface AttributionTouch {
  id: string;
  campaignId: string;
  customerId: string;
  /** Epoch milliseconds. */
  at: number;
  wave: number;
  /** The touch's campaign: when it was launched (epoch ms) and its window in days. */
  launchedAt: number;
  windowDays: number;
}

export interface AttributionOrder {
  id: string;
  customerId: string;
  /** Epoch milliseconds. */
  orderedAt: number;
}

const DAY_MS = 86_400_000;

/** Whether a touch may take an order: counted (at or after launch) and the order within its window. */
export function reaches(touch: AttributionTouch, order: AttributionOrder): boolean {
  return (
    touch.customerId === order.customerId &&
    touch.at >= touch.launchedAt &&
    touch.at <= order.orderedAt &&
    order.orderedAt <= touch.at + touch.windowDays * DAY_MS
  );
}

/** a is later than b in the order that picks the winner (time, then launch, campaign, touch id). */
function later(a: AttributionTouch, b: AttributionTouch): boolean {
  if (a.at !== b.at) return a.at > b.at;
  if (a.launchedAt !== b.launchedAt) return a.launchedAt > b.launchedAt;
  if (a.campaignId !== b.campaignId) return a.campaignId > b.campaignId;
  return a.id > b.id;
}

/** Each order's winning touch (orders no touch reaches are absent). */
export function attributeOrders(
  orders: readonly AttributionOrder[],
  touches: readonly AttributionTouch[],
): Map<string, AttributionTouch> {
  const byCustomer = new Map<string, AttributionTouch[]>();
  for (const touch of touches) {
    if (touch.at < touch.launchedAt) continue;
    const list = byCustomer.get(touch.customerId);
    if (list) list.push(touch);
    else byCustomer.set(touch.customerId, [touch]);
  }
  const out = new Map<string, AttributionTouch>();
  for (const order of orders) {
    let best: AttributionTouch | undefined;
    for (const touch of byCustomer.get(order.customerId) ?? [])
      if (reaches(touch, order) && (!best || later(touch, best))) best = touch;
    if (best) out.set(order.id, best);
  }
  return out;
}
