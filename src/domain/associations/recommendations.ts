import { fromUnits, toUnits } from '../money';
import type { RuleCounts, RuleMeasures } from './measures';

/**
 * Cross-sell and up-sell for one customer, from data its repository read (docs/associations.md):
 *
 * - association rules of the latest run whose antecedent the customer bought, lift above 1;
 *   a candidate's rule score is the best such rule's confidence;
 * - item-item co-occurrence across customers: for each product A the customer bought, the
 *   other customers who bought A, and the share of them who also bought B. This is the
 *   conditional-probability item similarity of Deshpande & Karypis (2004), counted over
 *   customers instead of baskets; the candidate's score is its best share.
 *
 * A candidate's score is the larger of the two (both are shares, 0 to 1); each method that
 * proposed it adds its reason.
 */
export interface ProductRef {
  id: string;
  sku: string;
  name: string;
}

export type RecommendationSource = 'association_rules' | 'item_cooccurrence';

export interface StoredRule extends RuleMeasures {
  antecedent: ProductRef;
  consequent: ProductRef;
  counts: RuleCounts;
}

/** Of the other customers who bought `bought`, how many also bought `candidate`. */
export interface CoPurchase {
  bought: ProductRef;
  candidate: ProductRef;
  /** The peers: the other live customers who bought `bought` most recently, at most PEERS_PER_PRODUCT. */
  customers: number;
  /** All other live customers with a counted purchase of `bought` (more than `customers` when capped). */
  buyers: number;
  /** Of those, the ones who also bought `candidate`. */
  alsoBought: number;
}

export interface Recommendation {
  product: ProductRef;
  score: number;
  sources: RecommendationSource[];
  reasons: string[];
  rule: StoredRule | null;
  cooccurrence: (CoPurchase & { share: number }) | null;
}

/** Fewer other customers than this who bought both is anecdote, not a peer group. */
export const MIN_CO_CUSTOMERS = 2;
/** The most recent other buyers of a product who count as its peers: bounds a request's work. */
export const PEERS_PER_PRODUCT = 500;

const percent = (share: number) => `${Math.round(share * 100)}%`;
const label = (p: ProductRef) => `${p.name} (${p.sku})`;

export function ruleReason(rule: StoredRule): string {
  return `bought with ${label(rule.antecedent)} in ${percent(rule.confidence)} of the baskets containing it (lift ${rule.lift.toFixed(1)})`;
}

export function cooccurrenceReason(co: CoPurchase): string {
  const share = co.alsoBought / co.customers;
  const who =
    co.buyers > co.customers
      ? `the ${co.customers} most recent of the ${co.buyers} other customers`
      : `the ${co.customers} other customers`;
  return `bought by ${percent(share)} of ${who} who bought ${label(co.bought)}`;
}

const byRule = (a: StoredRule, b: StoredRule) =>
  b.confidence - a.confidence || b.lift - a.lift || a.antecedent.sku.localeCompare(b.antecedent.sku);

const byCo = (a: CoPurchase, b: CoPurchase) =>
  b.alsoBought / b.customers - a.alsoBought / a.customers ||
  b.alsoBought - a.alsoBought ||
  a.bought.sku.localeCompare(b.bought.sku);

/**
 * Ranks the candidates: products not in `bought`, proposed by a rule with lift > 1 whose
 * antecedent is in `bought`, or by a co-purchase of at least MIN_CO_CUSTOMERS customers.
 * Highest score first; ties by the rule's lift, then SKU.
 */
export function recommend(input: {
  bought: ReadonlySet<string>;
  rules: readonly StoredRule[];
  coPurchases: readonly CoPurchase[];
  limit: number;
}): Recommendation[] {
  const rules = new Map<string, StoredRule>();
  for (const rule of input.rules) {
    if (!input.bought.has(rule.antecedent.id) || input.bought.has(rule.consequent.id)) continue;
    if (!(rule.lift > 1)) continue;
    const best = rules.get(rule.consequent.id);
    if (!best || byRule(rule, best) < 0) rules.set(rule.consequent.id, rule);
  }
  const cos = new Map<string, CoPurchase>();
  for (const co of input.coPurchases) {
    if (!input.bought.has(co.bought.id) || input.bought.has(co.candidate.id)) continue;
    if (co.customers <= 0 || co.alsoBought < MIN_CO_CUSTOMERS) continue;
    const best = cos.get(co.candidate.id);
    if (!best || byCo(co, best) < 0) cos.set(co.candidate.id, co);
  }
  const candidates = new Set([...rules.keys(), ...cos.keys()]);
  const items: Recommendation[] = [];
  for (const id of candidates) {
    const rule = rules.get(id) ?? null;
    const co = cos.get(id) ?? null;
    const share = co ? co.alsoBought / co.customers : 0;
    const product = (rule?.consequent ?? co?.candidate)!;
    items.push({
      product,
      score: Math.max(rule?.confidence ?? 0, share),
      sources: [
        ...(rule ? (['association_rules'] as const) : []),
        ...(co ? (['item_cooccurrence'] as const) : []),
      ],
      reasons: [...(rule ? [ruleReason(rule)] : []), ...(co ? [cooccurrenceReason(co)] : [])],
      rule,
      cooccurrence: co ? { ...co, share } : null,
    });
  }
  items.sort(
    (a, b) =>
      b.score - a.score ||
      (b.rule?.lift ?? 0) - (a.rule?.lift ?? 0) ||
      a.product.sku.localeCompare(b.product.sku),
  );
  return items.slice(0, Math.max(0, input.limit));
}

export interface PricedProduct extends ProductRef {
  category: string;
  listPrice: string;
  currency: string;
}

export interface UpsellCandidate {
  product: PricedProduct;
  /** The dearest product the customer bought in that category and currency. */
  over: PricedProduct;
  reason: string;
}

/**
 * Up-sell: products the customer has not bought, in a category it bought, listed dearer (same
 * currency, exact comparison) than the dearest product it bought there. Per category the
 * nearest step up comes first, and categories take turns, so one category does not fill the list.
 */
export function upsell(input: {
  bought: readonly PricedProduct[];
  catalogue: readonly PricedProduct[];
  limit: number;
}): UpsellCandidate[] {
  const boughtIds = new Set(input.bought.map((p) => p.id));
  const key = (p: PricedProduct) => JSON.stringify([p.category, p.currency]);
  const dearest = new Map<string, PricedProduct>();
  for (const p of input.bought) {
    const top = dearest.get(key(p));
    if (!top || toUnits(p.listPrice) > toUnits(top.listPrice)) dearest.set(key(p), p);
  }
  const perGroup = new Map<string, PricedProduct[]>();
  for (const p of input.catalogue) {
    const top = dearest.get(key(p));
    if (!top || boughtIds.has(p.id) || toUnits(p.listPrice) <= toUnits(top.listPrice)) continue;
    perGroup.set(key(p), [...(perGroup.get(key(p)) ?? []), p]);
  }
  const ranked: Array<{ rank: number; candidate: UpsellCandidate }> = [];
  for (const [group, products] of perGroup) {
    const over = dearest.get(group)!;
    const sorted = [...products].sort((a, b) => {
      const d = toUnits(a.listPrice) - toUnits(b.listPrice);
      return d < 0n ? -1 : d > 0n ? 1 : a.sku.localeCompare(b.sku);
    });
    sorted.forEach((product, rank) =>
      ranked.push({ rank, candidate: { product, over, reason: upsellReason(product, over) } }),
    );
  }
  ranked.sort(
    (a, b) =>
      a.rank - b.rank ||
      a.candidate.product.category.localeCompare(b.candidate.product.category) ||
      a.candidate.product.currency.localeCompare(b.candidate.product.currency),
  );
  return ranked.slice(0, Math.max(0, input.limit)).map((r) => r.candidate);
}

const money = (text: string) => fromUnits(toUnits(text));

export function upsellReason(product: PricedProduct, over: PricedProduct): string {
  return `in ${product.category} the dearest you bought is ${label(over)} at ${money(over.listPrice)} ${over.currency}; this one lists at ${money(product.listPrice)} ${product.currency}`;
}
