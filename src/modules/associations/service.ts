import type { Knex } from 'knex';
import {
  MIN_CO_CUSTOMERS,
  PEERS_PER_PRODUCT,
  minimumCount,
  recommend,
  upsell,
  type PricedProduct,
  type StoredRule,
} from '../../domain/associations';
import { normalizeMoney } from '../../domain/money';
import { BadRequestError, NotFoundError } from '../../http/http-errors';
import { decodeCursor, encodeCursor } from '../../http/pagination';
import type { RunRow } from '../analytics/repository';
import type { RunExtension } from '../analytics/run-extensions';
import type { CustomerService } from '../customers/service';
import type { ProductService } from '../products/service';
import type { AssociationRepository, AssociationRunRow, RuleRow } from './repository';
import type { AssociationPage, AssociationQuery, Recommendations, RecommendationsQuery } from './schemas';

const SORT = 'associations';

const ruleOf = (row: RuleRow): StoredRule => ({
  antecedent: { id: row.antecedent_id, sku: row.antecedent_sku, name: row.antecedent_name },
  consequent: { id: row.consequent_id, sku: row.consequent_sku, name: row.consequent_name },
  counts: {
    both: row.both_count,
    antecedent: row.antecedent_count,
    consequent: row.consequent_count,
    baskets: 0,
  },
  support: Number(row.support),
  confidence: Number(row.confidence),
  lift: Number(row.lift),
});

const withBaskets = (rule: StoredRule, baskets: number): StoredRule => ({
  ...rule,
  counts: { ...rule.counts, baskets },
});

const runView = (run: AssociationRunRow) => ({
  runId: run.run_id,
  asOf: run.as_of,
  baskets: run.baskets,
  minSupport: Number(run.min_support),
  minCount: run.min_count,
});

/** Product associations (computed at each analytics run), cross-sell and up-sell (docs/associations.md). */
export class AssociationService {
  constructor(
    private readonly knex: Knex,
    private readonly repository: AssociationRepository,
    private readonly customers: CustomerService,
    private readonly products: ProductService,
    private readonly minSupport: number,
    private readonly clock: () => Date,
  ) {}

  /** The analytics run's step: compute the run's rules before it is published. */
  runExtension(): RunExtension {
    return {
      name: 'associations',
      prepare: async (run) => {
        await this.computeFor(run);
      },
    };
  }

  async computeFor(run: Pick<RunRow, 'id' | 'as_of'>): Promise<{ baskets: number; rules: number }> {
    return this.knex.transaction(async (trx) => {
      const baskets = await this.repository.stageBaskets(run.as_of, trx);
      const minCount = minimumCount(this.minSupport, baskets);
      const written = await this.repository.writeRules(
        { id: run.id, baskets, minSupport: this.minSupport, minCount, at: this.clock() },
        trx,
      );
      await this.repository.pruneExcept(run.id, trx);
      return { baskets, rules: written.rules };
    });
  }

  async page(query: AssociationQuery): Promise<AssociationPage> {
    const limit = query.limit ?? 50;
    let run: AssociationRunRow | undefined;
    let afterRank: number | undefined;
    if (query.cursor) {
      const position = decodeCursor(query.cursor, SORT);
      if (typeof position.value !== 'number') throw new BadRequestError('invalid_cursor', {});
      // A cursor pages through the run it began on, while that run's rules are kept.
      run = await this.repository.ofRun(position.id);
      if (!run) throw new BadRequestError('invalid_cursor', {});
      afterRank = position.value;
    } else {
      run = await this.repository.latest();
      if (!run) throw new NotFoundError('no_analytics_run', {});
    }
    if (query.productId !== undefined) await this.products.get(query.productId);
    const rows = await this.repository.page(
      run.run_id,
      { antecedentId: query.productId, minLift: query.minLift, afterRank },
      limit + 1,
    );
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page.at(-1);
    return {
      ...runView(run),
      data: page.map((row) => {
        const rule = withBaskets(ruleOf(row), run.baskets);
        return { ...rule, rank: row.rank };
      }),
      nextCursor: more && last ? encodeCursor({ sort: SORT, value: last.rank, id: run.run_id }) : null,
    };
  }

  async recommendations(customerId: string, query: RecommendationsQuery): Promise<Recommendations> {
    await this.customers.requireLive(customerId);
    const limit = query.limit ?? 10;
    const products = await this.repository.productsOf(customerId);
    const counted = products.filter((p) => p.counted);
    const basis = counted.map((p) => p.id);
    const excluded = products.map((p) => p.id);
    const excludedSet = new Set(excluded);
    const run = await this.repository.latest();
    const rules = run ? await this.repository.rulesFrom(run.run_id, basis) : [];
    const coRows = await this.repository.coPurchases(
      customerId,
      basis,
      excluded,
      MIN_CO_CUSTOMERS,
      PEERS_PER_PRODUCT,
    );
    const refs = new Map(counted.map((p) => [p.id, { id: p.id, sku: p.sku, name: p.name }]));
    const items = recommend({
      bought: excludedSet,
      rules: rules.map((row) => withBaskets(ruleOf(row), run!.baskets)),
      coPurchases: coRows.map((row) => ({
        bought: refs.get(row.bought_id)!,
        candidate: { id: row.candidate_id, sku: row.candidate_sku, name: row.candidate_name },
        customers: row.customers,
        buyers: row.buyers,
        alsoBought: row.also_bought,
      })),
      limit,
    });
    const priced = (p: {
      id: string;
      sku: string;
      name: string;
      category: string | null;
      list_price: string | null;
      currency: string | null;
    }): PricedProduct[] =>
      p.category !== null && p.list_price !== null && p.currency !== null
        ? [
            {
              id: p.id,
              sku: p.sku,
              name: p.name,
              category: p.category,
              listPrice: normalizeMoney(p.list_price),
              currency: p.currency,
            },
          ]
        : [];
    const boughtPriced = counted.flatMap(priced);
    const catalogue = await this.repository.pricedIn([...new Set(boughtPriced.map((p) => p.category))]);
    const upsells = upsell({
      bought: boughtPriced,
      catalogue: catalogue.flatMap(priced).filter((p) => !excludedSet.has(p.id)),
      limit,
    });
    return {
      customerId,
      method: run ? 'both' : 'item_cooccurrence',
      runId: run?.run_id ?? null,
      asOf: run?.as_of ?? null,
      note: run
        ? null
        : 'No analytics run has finished yet: association rules need one (POST /v1/analytics/runs), so only item co-occurrence scored these.',
      items: items.map((item) => ({
        product: item.product,
        score: item.score,
        sources: item.sources,
        reasons: item.reasons,
        rule: item.rule,
        cooccurrence: item.cooccurrence,
      })),
      upsell: upsells.map((u) => ({ product: u.product, over: u.over, reason: u.reason })),
    };
  }
}
