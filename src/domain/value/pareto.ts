import { requireFinite, ValueDomainError } from './domain-error';

export interface Contributor {
  id: string;
  contribution: number;
}

export interface ParetoShare {
  /** How many customers make the top share (ceil(share x n)). */
  topCount: number;
  /** Their ids, largest contribution first (ties by id, so the result is reproducible). */
  topCustomerIds: string[];
  topContribution: number;
  totalContribution: number;
  /** topContribution / totalContribution; 0 when the total is not positive. */
  topShare: number;
}

/**
 * The sources' 80/20 check: the share of all contribution that comes from the top `share`
 * (default 20%) of customers. An empty base gives zeros and no ids.
 */
export function paretoShare(customers: readonly Contributor[], share = 0.2): ParetoShare {
  if (!(share > 0 && share <= 1)) throw new ValueDomainError('invalid_input', 'share must lie in (0, 1]');
  customers.forEach((c) => requireFinite(c.contribution, 'contribution'));
  const ranked = [...customers].sort(
    (x, y) => y.contribution - x.contribution || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0),
  );
  const topCount = Math.max(0, Math.ceil(share * ranked.length - 1e-9));
  const top = ranked.slice(0, topCount);
  const topContribution = top.reduce((s, c) => s + c.contribution, 0);
  const totalContribution = ranked.reduce((s, c) => s + c.contribution, 0);
  return {
    topCount,
    topCustomerIds: top.map((c) => c.id),
    topContribution,
    totalContribution,
    topShare: totalContribution > 0 ? topContribution / totalContribution : 0,
  };
}
