/**
 * Named RFM segments from the recency (R) and frequency (F) scores, using the R/F-score grid
 * that circulates with the "RFM segmentation" guides and is the `seg_map` of countless public
 * RFM notebooks (regex keys on the "RF" code):
 *   [1-2][1-2] hibernating, [1-2][3-4] at risk, [1-2]5 cannot lose, 3[1-2] about to sleep,
 *   33 need attention, [3-4][4-5] loyal, 41 promising, 51 new, [4-5][2-3] potential loyalist,
 *   5[4-5] champions.
 * That grid has ten names; docs/domain.md 5.5 asks for an eleventh, `lost`. Our one change: the corner
 * R = 1, F = 1 (longest since the last purchase and fewest purchases) is `lost` instead of
 * `hibernating`. The monetary score does not enter the segment, as in the grid.
 */
export type RfmSegment =
  | 'champions'
  | 'loyal'
  | 'potential_loyalist'
  | 'new'
  | 'promising'
  | 'need_attention'
  | 'about_to_sleep'
  | 'at_risk'
  | 'cannot_lose'
  | 'hibernating'
  | 'lost';

export type Score = 1 | 2 | 3 | 4 | 5;

export function rfmSegment(recency: Score, frequency: Score): RfmSegment {
  if (recency <= 2) {
    if (recency === 1 && frequency === 1) return 'lost';
    if (frequency <= 2) return 'hibernating';
    return frequency === 5 ? 'cannot_lose' : 'at_risk';
  }
  if (recency === 3) {
    if (frequency <= 2) return 'about_to_sleep';
    return frequency === 3 ? 'need_attention' : 'loyal';
  }
  // recency 4 or 5
  if (frequency === 1) return recency === 4 ? 'promising' : 'new';
  if (frequency <= 3) return 'potential_loyalist';
  return recency === 5 ? 'champions' : 'loyal';
}
