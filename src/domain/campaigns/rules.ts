/** Campaign rules that need no database (docs/campaigns.md). */
export const CAMPAIGN_KINDS = ['care', 'offer', 'win_back', 'survey'] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

/** What a launch freezes: the target, the attribution window and the control group. */
export const FROZEN_AFTER_LAUNCH = [
  'segmentId',
  'attributionWindowDays',
  'controlGroupShare',
  'controlGroupSeed',
] as const;

/** The frozen fields a change to a launched campaign would move (empty: it may go ahead). */
export function frozenChanges(
  before: Record<(typeof FROZEN_AFTER_LAUNCH)[number], unknown>,
  after: Record<(typeof FROZEN_AFTER_LAUNCH)[number], unknown>,
): string[] {
  return FROZEN_AFTER_LAUNCH.filter((field) => before[field] !== after[field]);
}
