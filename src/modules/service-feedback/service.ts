import { feedbackGroups } from '../../domain/service/service-feedback';
import { BadRequestError } from '../../http/http-errors';
import type { ServiceFeedbackRepository } from './repository';
import type { ServiceFeedback, ServiceFeedbackQuery } from './schemas';

const DAY_MS = 86_400_000;

/** GET /v1/analytics/service-feedback: what service tells product development (docs/service.md). */
export class ServiceFeedbackService {
  constructor(private readonly repository: ServiceFeedbackRepository) {}

  async report(query: ServiceFeedbackQuery): Promise<ServiceFeedback> {
    if (query.from && query.to && query.from > query.to) throw new BadRequestError('invalid_range', {});
    const by = query.groupBy ?? 'product';
    const window = {
      from: query.from ? new Date(`${query.from}T00:00:00Z`) : null,
      until: query.to ? new Date(Date.parse(`${query.to}T00:00:00Z`) + DAY_MS) : null,
    };
    const [complaints, records, surveys] = [
      await this.repository.complaints(by, window),
      await this.repository.serviceRecords(by, window),
      await this.repository.surveys(by, window),
    ];
    const groups = feedbackGroups(complaints, records, surveys);
    const names =
      by === 'product'
        ? await this.repository.productNames(groups.flatMap((g) => (g.key === null ? [] : [g.key])))
        : new Map<string, { name: string; sku: string }>();
    return {
      from: query.from ?? null,
      to: query.to ?? null,
      groupBy: by,
      groups: groups.map((g) => ({
        key: g.key,
        name: g.key === null ? null : (names.get(g.key)?.name ?? null),
        sku: g.key === null ? null : (names.get(g.key)?.sku ?? null),
        complaints: g.complaints as ServiceFeedback['groups'][number]['complaints'],
        serviceRecords: g.serviceRecords as ServiceFeedback['groups'][number]['serviceRecords'],
        surveys: g.surveys,
      })),
    };
  }
}
