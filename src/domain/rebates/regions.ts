/**
 * Cross-region selling for rebates (docs/rebates.md): an order counts against a channel's
 * regions as the order flag does (docs/domain.md section 1). The channel's regions are its
 * assigned regions, or its own region when none are assigned; with neither, nothing is
 * cross-region. An order without a region is never cross-region.
 */
export function regionsOfChannel(assigned: readonly string[], ownRegion: string | null): string[] {
  return assigned.length > 0 ? [...assigned] : ownRegion ? [ownRegion] : [];
}

export function isOutsideRegions(regions: readonly string[], orderRegion: string | null): boolean {
  return orderRegion !== null && regions.length > 0 && !regions.includes(orderRegion);
}
