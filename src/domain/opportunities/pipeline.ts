import { fromUnits, toUnits } from '../money';

/**
 * The sales pipeline (docs/opportunities.md): an ordered list of stages, configured, of which
 * `won` and `lost` are closed: an opportunity in either no longer moves. Each stage has the
 * probability an opportunity in it gets unless it names its own.
 */
export interface Stage {
  name: string;
  probability: number;
}

export interface Pipeline {
  stages: readonly Stage[];
}

export const WON = 'won';
export const LOST = 'lost';
const STAGE_NAME = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * OPPORTUNITY_STAGES: `name[:probability]` entries in pipeline order. A stage without a
 * probability gets one by its place among the open stages (evenly from 0.1 towards 0.9); won
 * is 1 and lost 0 unless given. Undefined for a list that is malformed, repeats a stage or
 * lacks won or lost, so configuration refuses it at boot.
 */
export function parsePipeline(setting: string): Pipeline | undefined {
  const entries = setting
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const parsed: Array<{ name: string; probability?: number }> = [];
  for (const entry of entries) {
    const [name, p, extra] = entry.split(':').map((s) => s.trim());
    if (!name || !STAGE_NAME.test(name) || extra !== undefined) return undefined;
    if (p === undefined) {
      parsed.push({ name });
      continue;
    }
    const probability = Number(p);
    if (p === '' || !Number.isFinite(probability) || probability < 0 || probability > 1) return undefined;
    parsed.push({ name, probability });
  }
  const names = parsed.map((s) => s.name);
  if (new Set(names).size !== names.length || !names.includes(WON) || !names.includes(LOST)) return undefined;
  const open = parsed.filter((s) => !isClosed(s.name));
  if (open.length === 0) return undefined;
  const stages = parsed.map((s) => {
    if (s.probability !== undefined) return { name: s.name, probability: s.probability };
    if (s.name === WON) return { name: s.name, probability: 1 };
    if (s.name === LOST) return { name: s.name, probability: 0 };
    const i = open.indexOf(s);
    const probability = open.length === 1 ? 0.5 : 0.1 + (0.8 * i) / (open.length - 1);
    return { name: s.name, probability: Math.round(probability * 100) / 100 };
  });
  return { stages };
}

export const isClosed = (stage: string): boolean => stage === WON || stage === LOST;

export const stageOf = (pipeline: Pipeline, name: string): Stage | undefined =>
  pipeline.stages.find((s) => s.name === name);

/** What a move to a stage needs, besides the stage existing. */
export interface StageMove {
  from: string | null;
  to: string;
  orderId: string | null;
  lostReason: string | null;
}

export type StageProblem =
  | { rule: 'unknown_stage'; field: 'stage' }
  | { rule: 'opportunity_closed'; field: 'stage' }
  | { rule: 'order_required'; field: 'orderId' }
  | { rule: 'lost_reason_required'; field: 'lostReason' };

/**
 * The rules of a stage: it must be in the pipeline; a closed opportunity does not move; won
 * names the order it became; lost names why. `from` null is a new opportunity.
 */
export function stageProblems(pipeline: Pipeline, move: StageMove): StageProblem[] {
  if (!stageOf(pipeline, move.to)) return [{ rule: 'unknown_stage', field: 'stage' }];
  if (move.from !== null && move.from !== move.to && isClosed(move.from))
    return [{ rule: 'opportunity_closed', field: 'stage' }];
  if (move.to === WON && move.orderId === null) return [{ rule: 'order_required', field: 'orderId' }];
  if (move.to === LOST && move.lostReason === null)
    return [{ rule: 'lost_reason_required', field: 'lostReason' }];
  return [];
}

/** The tag a lost opportunity leaves on its customer, as the sources keep it. */
export const notConvertedTag = (reason: string): string => `not-converted:${reason}`;

/**
 * amount x probability, rounded half away from zero to the cent: what an opportunity is worth
 * to the forecast. The probability is taken to six decimals.
 */
export function weightedAmount(amount: string, probability: number): string {
  const units = toUnits(amount) * BigInt(Math.round(probability * 1_000_000));
  const perCent = 1_000_000n * 100n;
  const cents = (units + perCent / 2n) / perCent;
  return fromUnits(cents * 100n);
}
