import type { RunExtension } from '../analytics/run-extensions';
import type { SegmentService } from './service';

/**
 * Dynamic segments re-materialised at every analytics run, in its publishing transaction
 * (docs/segments.md "Materialisation"): the members always match the current run's values,
 * and a failure rolls the publication back.
 */
export function segmentRunExtension(segments: SegmentService): RunExtension {
  return {
    name: 'segments',
    publish: async (run, trx) => segments.refreshForRun(run.id, trx),
  };
}
