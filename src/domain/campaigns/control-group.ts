import { createHash } from 'node:crypto';

/**
 * The control group held out at launch (docs/campaigns.md "Control group"): a seeded shuffle
 * that takes exactly round(share x n) of the segment's n members. Each member is ranked by
 * SHA-256(seed + ":" + customerId) (ties, which need a hash collision, by the id), and the
 * first round(share x n) of that order are held out. The same seed and members always give
 * the same group, whatever order the members come in, and a member's place does not depend on
 * who else is in the segment, so two campaigns with one seed hold out alike.
 */
export function controlGroupSize(share: number, members: number): number {
  if (!(share >= 0 && share <= 1)) throw new RangeError('share must lie in [0, 1]');
  // share x n in floating point can land a hair under a half (0.15 x 10 = 1.4999...).
  return Math.min(members, Math.round(share * members + 1e-9));
}

const rankOf = (seed: string, customerId: string) =>
  createHash('sha256').update(`${seed}:${customerId}`).digest('hex');

/** The ids held out of `members` (distinct ids) for this share and seed. */
export function holdOut(members: readonly string[], share: number, seed: string): Set<string> {
  const size = controlGroupSize(share, members.length);
  if (size === 0) return new Set();
  const ranked = members
    .map((id) => ({ id, rank: rankOf(seed, id) }))
    .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return new Set(ranked.slice(0, size).map((r) => r.id));
}
