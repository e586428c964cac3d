import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses, IdParams, success } from '../../schemas/common';
import {
  AssociationPage,
  AssociationQuery,
  AssociationRule,
  Recommendations,
  RecommendationsQuery,
} from './schemas';
import type { AssociationService } from './service';

export interface AssociationRoutesOptions {
  associations: AssociationService;
}

const ASSOCIATIONS = [
  'Product association rules A -> B of the latest finished analytics run, computed in the run from the order lines (docs/associations.md). Scope `marketing:read`.',
  'A basket is an order not cancelled or returned, placed on or before the run\u2019s `asOf` by a customer not deleted; its products are the distinct products of its lines. A pair is kept when it is in at least `minSupport` of the baskets (ASSOCIATION_MIN_SUPPORT, default 0.01), and each kept pair gives both rules A -> B and B -> A.',
  '**support** = baskets with both / all baskets; **confidence** = baskets with both / baskets with A (Agrawal, Imielinski & Swami 1993); **lift** = confidence / (baskets with B / all baskets) (Brin, Motwani, Ullman & Tsur 1997).',
  'Ordered by lift, then confidence, descending (`rank`); `productId` keeps the rules from that product, `minLift` those with at least that lift. A cursor keeps paging the run it began on; once that run\u2019s rules are pruned it is 400 `invalid_cursor`. 404 `no_analytics_run` before the first run.',
].join('\n\n');

const RECOMMENDATIONS = [
  'Cross-sell and up-sell for one customer (docs/associations.md). Scope `marketing:read`.',
  '**items**: products the customer has not bought (in any order not cancelled), scored by two methods (`method: both`): the latest run\u2019s association rules whose antecedent it bought (lift above 1; score = the best rule\u2019s confidence), and item-item co-occurrence across customers (of the other customers who bought a product it bought, the share who also bought the candidate; at least 2 of them). The score is the larger of the two; each method adds its reason. Inactive products are never proposed.',
  'Before the first analytics run there are no rules: `method` is `item_cooccurrence`, `runId` null and `note` says so.',
  '**upsell**: active products listed dearer than the dearest product the customer bought in the same category and currency, nearest step up first, categories taking turns.',
  '404 `customer_not_found` for an unknown or deleted customer.',
].join('\n\n');

const associationRoutes: FastifyPluginAsyncTypebox<AssociationRoutesOptions> = async (
  app,
  { associations },
) => {
  app.addSchema(AssociationRule);

  app.get(
    '/analytics/associations',
    {
      config: { scope: 'marketing:read' },
      schema: {
        operationId: 'listProductAssociations',
        summary: 'Product association rules (support, confidence, lift) of the latest run',
        description: ASSOCIATIONS,
        tags: ['marketing'],
        querystring: AssociationQuery,
        response: {
          200: success(AssociationPage, 'A page of rules, with the run they come from.'),
          ...errorResponses('invalid_cursor', 'no_analytics_run', 'product_not_found'),
        },
      },
    },
    async (request) => associations.page(request.query),
  );

  app.get(
    '/customers/:id/recommendations',
    {
      config: { scope: 'marketing:read' },
      schema: {
        operationId: 'getCustomerRecommendations',
        summary: 'Cross-sell and up-sell recommendations for a customer, each with its reason',
        description: RECOMMENDATIONS,
        tags: ['marketing'],
        params: IdParams,
        querystring: RecommendationsQuery,
        response: {
          200: success(Recommendations, 'Recommended products and up-sell candidates.'),
          ...errorResponses('customer_not_found'),
        },
      },
    },
    async (request) => associations.recommendations(request.params.id, request.query),
  );
};

export default associationRoutes;
