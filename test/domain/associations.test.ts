import {
  MIN_CO_CUSTOMERS,
  minimumCount,
  recommend,
  ruleMeasures,
  upsell,
  type CoPurchase,
  type PricedProduct,
  type ProductRef,
  type StoredRule,
} from '../../src/domain/associations';

const product = (sku: string): ProductRef => ({ id: `id-${sku}`, sku, name: `Product ${sku}` });
const A = product('A');
const B = product('B');
const C = product('C');
const D = product('D');

function rule(
  antecedent: ProductRef,
  consequent: ProductRef,
  both: number,
  a: number,
  b: number,
  n: number,
): StoredRule {
  const counts = { both, antecedent: a, consequent: b, baskets: n };
  return { antecedent, consequent, counts, ...ruleMeasures(counts) };
}

describe('ruleMeasures', () => {
  test('support, confidence and lift as Agrawal et al. and Brin et al. define them', () => {
    // 10 baskets, A in 4, B in 5, both in 3.
    const m = ruleMeasures({ both: 3, antecedent: 4, consequent: 5, baskets: 10 });
    expect(m.support).toBeCloseTo(0.3, 15);
    expect(m.confidence).toBeCloseTo(0.75, 15);
    expect(m.lift).toBeCloseTo(0.75 / 0.5, 15);
  });

  test('independent products have lift 1; the reverse rule shares support and lift', () => {
    expect(ruleMeasures({ both: 2, antecedent: 4, consequent: 5, baskets: 10 }).lift).toBe(1);
    const ab = ruleMeasures({ both: 3, antecedent: 4, consequent: 6, baskets: 12 });
    const ba = ruleMeasures({ both: 3, antecedent: 6, consequent: 4, baskets: 12 });
    expect(ab.support).toBe(ba.support);
    expect(ab.lift).toBe(ba.lift);
    expect(ab.confidence).toBe(0.75);
    expect(ba.confidence).toBe(0.5);
  });

  test('no baskets gives zeros, not NaN', () => {
    expect(ruleMeasures({ both: 0, antecedent: 0, consequent: 0, baskets: 0 })).toEqual({
      support: 0,
      confidence: 0,
      lift: 0,
    });
  });
});

describe('minimumCount', () => {
  test('rounds minSupport x baskets up, without float drift', () => {
    expect(minimumCount(0.01, 100)).toBe(1);
    expect(minimumCount(0.01, 1_000)).toBe(10);
    expect(minimumCount(0.01, 1_001)).toBe(11);
    expect(minimumCount(0.07, 100)).toBe(7);
    expect(minimumCount(0.2, 6)).toBe(2);
    expect(minimumCount(1, 6)).toBe(6);
  });

  test('at least one basket', () => {
    expect(minimumCount(0.01, 5)).toBe(1);
    expect(minimumCount(0.01, 0)).toBe(1);
  });
});

describe('recommend', () => {
  const co = (
    bought: ProductRef,
    candidate: ProductRef,
    customers: number,
    alsoBought: number,
    buyers = customers,
  ): CoPurchase => ({
    bought,
    candidate,
    customers,
    buyers,
    alsoBought,
  });

  test('a product always bought with one the customer has comes first, by rule and by peers', () => {
    const items = recommend({
      bought: new Set([A.id]),
      rules: [rule(A, B, 3, 3, 3, 6), rule(B, A, 3, 3, 3, 6)],
      coPurchases: [co(A, B, 3, 3)],
      limit: 10,
    });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      product: B,
      score: 1,
      sources: ['association_rules', 'item_cooccurrence'],
      reasons: [
        'bought with Product A (A) in 100% of the baskets containing it (lift 2.0)',
        'bought by 100% of the 3 other customers who bought Product A (A)',
      ],
    });
    expect(items[0]!.rule).toMatchObject({ support: 0.5, confidence: 1, lift: 2 });
  });

  test('the best rule per candidate wins; lift at or below 1 and bought products are left out', () => {
    const items = recommend({
      bought: new Set([A.id, D.id]),
      rules: [
        rule(A, C, 2, 4, 5, 10), // confidence 0.5, lift 1
        rule(D, C, 3, 4, 5, 20), // confidence 0.75, lift 3
        rule(A, B, 1, 4, 2, 10), // confidence 0.25, lift 1.25
        rule(A, D, 4, 4, 4, 10), // D is bought
        rule(C, B, 2, 5, 2, 10), // C is not bought
      ],
      coPurchases: [],
      limit: 10,
    });
    expect(items.map((i) => [i.product.sku, i.score, i.rule!.antecedent.sku])).toEqual([
      ['C', 0.75, 'D'],
      ['B', 0.25, 'A'],
    ]);
  });

  test(`co-purchases need ${MIN_CO_CUSTOMERS} customers; the score is the larger share`, () => {
    const items = recommend({
      bought: new Set([A.id]),
      rules: [rule(A, C, 1, 4, 2, 10)], // confidence 0.25, lift 1.25
      coPurchases: [co(A, C, 10, 6), co(A, B, 10, 1), co(A, D, 4, 2)],
      limit: 10,
    });
    expect(items.map((i) => [i.product.sku, i.score, i.sources])).toEqual([
      ['C', 0.6, ['association_rules', 'item_cooccurrence']],
      ['D', 0.5, ['item_cooccurrence']],
    ]);
  });

  test('a capped peer group says so in the reason', () => {
    const [item] = recommend({
      bought: new Set([A.id]),
      rules: [],
      coPurchases: [co(A, B, 500, 200, 18000)],
      limit: 1,
    });
    expect(item!.reasons).toEqual([
      'bought by 40% of the 500 most recent of the 18000 other customers who bought Product A (A)',
    ]);
  });

  test('limit cuts the ranked list; ties go by lift, then SKU', () => {
    const items = recommend({
      bought: new Set([A.id]),
      rules: [rule(A, D, 2, 4, 4, 10), rule(A, C, 2, 4, 2, 10), rule(A, B, 2, 4, 4, 10)],
      coPurchases: [],
      limit: 2,
    });
    expect(items.map((i) => i.product.sku)).toEqual(['C', 'B']);
  });
});

describe('upsell', () => {
  const priced = (sku: string, category: string, listPrice: string, currency = 'USD'): PricedProduct => ({
    ...product(sku),
    category,
    listPrice,
    currency,
  });

  test('dearer products of the categories bought, nearest first, categories taking turns', () => {
    const bought = [priced('T1', 'tea', '10.00'), priced('T2', 'tea', '12.5'), priced('W1', 'ware', '8.00')];
    const catalogue = [
      priced('T1', 'tea', '10.00'),
      priced('T2', 'tea', '12.50'),
      priced('T3', 'tea', '12.50'),
      priced('T4', 'tea', '12.5001'),
      priced('T5', 'tea', '30.00'),
      priced('T6', 'tea', '99.00', 'EUR'),
      priced('W2', 'ware', '9.00'),
      priced('W3', 'ware', '7.00'),
      priced('S1', 'snacks', '50.00'),
    ];
    const out = upsell({ bought, catalogue, limit: 10 });
    expect(out.map((u) => u.product.sku)).toEqual(['T4', 'W2', 'T5']);
    expect(out[0]!.over.sku).toBe('T2');
    expect(out[0]!.reason).toBe(
      'in tea the dearest you bought is Product T2 (T2) at 12.50 USD; this one lists at 12.5001 USD',
    );
    expect(upsell({ bought, catalogue, limit: 1 }).map((u) => u.product.sku)).toEqual(['T4']);
  });

  test('nothing bought, nothing to propose', () => {
    expect(upsell({ bought: [], catalogue: [priced('T1', 'tea', '1.00')], limit: 5 })).toEqual([]);
  });
});
