/** docs/domain.md section 1: family and business-circle ties. */
export const RELATIONSHIP_TYPES = [
  'family',
  'friend',
  'colleague',
  'parent-company',
  'distributor-of',
  'referred-by',
] as const;
export type RelationshipType = (typeof RELATIONSHIP_TYPES)[number];

/** How a tie reads from the other end: A parent-company B means B subsidiary-of A. */
export const INVERSE_LABEL: Record<RelationshipType, string> = {
  family: 'family',
  friend: 'friend',
  colleague: 'colleague',
  'parent-company': 'subsidiary-of',
  'distributor-of': 'distributed-by',
  'referred-by': 'referrer-of',
};

export function isSymmetric(type: RelationshipType): boolean {
  return INVERSE_LABEL[type] === type;
}
