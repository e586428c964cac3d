import * as domainErrors from './domain-error';
import { ValueDomainError } from './domain-error';

// Bound once: an imported binding compiled to CommonJS is a property read at every use.
const { requireFinite } = domainErrors;

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
  const figures = paretoFigures(
    customers.map((c) => c.contribution),
    share,
  );
  const ranked = [...customers].sort(
    (x, y) => y.contribution - x.contribution || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0),
  );
  return { ...figures, topCustomerIds: ranked.slice(0, figures.topCount).map((c) => c.id) };
}

/** `paretoShare` without the ids: the figures alone, from the contributions in any order. */
export function paretoFigures(
  contributions: ArrayLike<number>,
  share = 0.2,
): Omit<ParetoShare, 'topCustomerIds'> {
  if (!(share > 0 && share <= 1)) throw new ValueDomainError('invalid_input', 'share must lie in (0, 1]');
  const n = contributions.length;
  const ranked = new Float64Array(n);
  for (let i = 0; i < n; i++) ranked[i] = requireFinite(contributions[i] as number, 'contribution');
  ranked.sort().reverse();
  const topCount = Math.max(0, Math.ceil(share * n - 1e-9));
  let topContribution = 0;
  let totalContribution = 0;
  for (let i = 0; i < n; i++) {
    if (i < topCount) topContribution += ranked[i] as number;
    totalContribution += ranked[i] as number;
  }
  return {
    topCount,
    topContribution,
    totalContribution,
    topShare: totalContribution > 0 ? topContribution / totalContribution : 0,
  };
}
