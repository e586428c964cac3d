import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses, success } from '../../schemas/common';
import { Occasion, OccasionPage, OccasionQuery } from './schemas';
import type { CareService } from './service';

export interface CareRoutesOptions {
  care: CareService;
}

const careRoutes: FastifyPluginAsyncTypebox<CareRoutesOptions> = async (app, { care }) => {
  app.addSchema(Occasion);

  app.get(
    '/care/occasions',
    {
      config: { scope: 'service:read' },
      schema: {
        operationId: 'listCareOccasions',
        summary: 'Birthdays, anniversaries and holidays in the next days, most valuable customers first',
        description:
          "Customers' Gregorian birthdays (February 29 falls on February 28 in a common year), lunar birthdays (the next Gregorian day, from the Chinese lunar calendar; a leap month the year lacks falls back to the regular month, day 30 of a 29-day month to its last day) and anniversaries of the first purchase, each with the customer's owner, value class and predicted CLV from the latest analytics run, sorted by predicted CLV (unvalued last), then date. Holidays (CARE_FIXED_HOLIDAYS and the lunar festivals) are listed apart in `holidays`.",
        tags: ['care'],
        querystring: OccasionQuery,
        response: {
          200: success(OccasionPage, 'A page of occasions, and the holidays of the window.'),
          ...errorResponses('invalid_cursor'),
        },
      },
    },
    async (request) => care.occasions(request.query),
  );
};

export default careRoutes;
