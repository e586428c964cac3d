/**
 * docs/domain.md section 1: a channel customer sells in its assigned regions; an order it ships elsewhere
 * is flagged. Its assigned regions are the ones set through
 * PUT /v1/customers/{id}/assigned-regions, or, when none are set, its own `region`.
 * Orders without a region, and customers of other categories, are never flagged.
 */
export function isCrossRegion(
  customer: { category: string; region: string | null; assignedRegions: readonly string[] },
  orderRegion: string | null,
): boolean {
  if (customer.category !== 'channel' || orderRegion === null) return false;
  const assigned =
    customer.assignedRegions.length > 0 ? customer.assignedRegions : customer.region ? [customer.region] : [];
  return assigned.length > 0 && !assigned.includes(orderRegion);
}
