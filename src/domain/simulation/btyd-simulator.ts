/**
 * Draws customers from the BG/NBD purchase process (Fader, Hardie and Lee 2005) with spend
 * per purchase from the Gamma-Gamma model (Fader, Hardie and Lee 2005, RFM and CLV):
 *   lambda ~ Gamma(r, rate alpha), p ~ Beta(a, b)      (per customer)
 *   while alive, purchases arrive as a Poisson process with rate lambda; after each repeat
 *   purchase the customer drops out with probability p (the first purchase, at the customer's
 *   birth, is always survived: that is the model's likelihood);
 *   nu ~ Gamma(q, rate v), each purchase z ~ Gamma(p, rate nu).
 * Parameters in, transactions out: the same generator serves tests, demo data and benchmarks.
 */
import { isFinite, isInteger, round } from '../value/fast-math';
import { ValueDomainError } from '../value/domain-error';
import { daysPerUnit, toEpochDay, type DateInput, type TimeUnit } from '../value/time-units';
import { sampleBeta, sampleExponential, sampleGamma } from './random-distributions';
import { seededRandom } from './seeded-random';

export interface BtydSimulationOptions {
  seed: number;
  customers: number;
  /** BG/NBD parameters in `timeUnit` (alpha is a duration in that unit). */
  bgnbd: { r: number; alpha: number; a: number; b: number };
  /** Gamma-Gamma spend parameters (v is the rate often written gamma). */
  gammaGamma: { p: number; q: number; v: number };
  timeUnit: TimeUnit;
  /** First day of the acquisition window ('YYYY-MM-DD' or epoch day), UTC. */
  start: DateInput;
  /** First purchases fall uniformly (in continuous time) in [start, start + acquisitionDays). */
  acquisitionDays: number;
  /** Nothing is generated at or after start + observationDays (must exceed acquisitionDays). */
  observationDays: number;
  /** Customer ids are prefix + a zero-padded index (default 'sim-'). */
  idPrefix?: string;
  /** Amounts are rounded to this many decimals (default 2, cents). */
  amountDecimals?: number;
}

export interface SimulatedTransaction {
  /** ISO 8601 UTC timestamp. */
  orderedAt: string;
  amount: number;
}

export interface SimulatedCustomer {
  id: string;
  transactions: SimulatedTransaction[];
  /** Purchase times in `timeUnit` since the first purchase (0 first), before any rounding. */
  purchaseTimes: number[];
  /** T: the time observed since the first purchase, in `timeUnit`. */
  observedFor: number;
  /** The draws behind the data, for checking estimators against the truth. */
  latent: { lambda: number; dropoutProbability: number; nu: number; aliveAtEnd: boolean };
}

const MS_PER_DAY = 86_400_000;

export function simulateBtydCustomers(options: BtydSimulationOptions): SimulatedCustomer[] {
  validate(options);
  const random = seededRandom(options.seed);
  const { r, alpha, a, b } = options.bgnbd;
  const { p: shape, q, v } = options.gammaGamma;
  const unitDays = daysPerUnit(options.timeUnit);
  const startMs = toEpochDay(options.start) * MS_PER_DAY;
  const scale = 10 ** (options.amountDecimals ?? 2);
  const width = String(options.customers).length;

  const customers: SimulatedCustomer[] = [];
  for (let i = 0; i < options.customers; i++) {
    const lambda = sampleGamma(random, r, alpha);
    const dropoutProbability = sampleBeta(random, a, b);
    const nu = sampleGamma(random, q, v);
    const birthDays = random.next() * options.acquisitionDays;
    const observedFor = (options.observationDays - birthDays) / unitDays;

    const purchaseTimes = [0];
    let t = 0;
    let aliveAtEnd = true;
    for (;;) {
      t += sampleExponential(random, lambda);
      if (!(t < observedFor)) break;
      purchaseTimes.push(t);
      if (random.next() < dropoutProbability) {
        aliveAtEnd = false;
        break;
      }
    }
    const transactions = purchaseTimes.map((time) => ({
      orderedAt: new Date(startMs + (birthDays + time * unitDays) * MS_PER_DAY).toISOString(),
      amount: round(sampleGamma(random, shape, nu) * scale) / scale,
    }));
    customers.push({
      id: `${options.idPrefix ?? 'sim-'}${String(i + 1).padStart(width, '0')}`,
      transactions,
      purchaseTimes,
      observedFor,
      latent: { lambda, dropoutProbability, nu, aliveAtEnd },
    });
  }
  return customers;
}

function validate(o: BtydSimulationOptions): void {
  const positive = { ...o.bgnbd, ...o.gammaGamma };
  for (const [name, value] of Object.entries(positive)) {
    if (!isFinite(value) || value <= 0) {
      throw new ValueDomainError('invalid_input', `simulation parameter ${name} must be finite and > 0`);
    }
  }
  if (!isInteger(o.customers) || o.customers < 0) {
    throw new ValueDomainError('invalid_input', 'customers must be an integer >= 0');
  }
  if (!isInteger(o.seed)) throw new ValueDomainError('invalid_input', 'seed must be an integer');
  if (!(o.acquisitionDays >= 0 && o.observationDays > o.acquisitionDays && isFinite(o.observationDays))) {
    throw new ValueDomainError('invalid_input', 'need 0 <= acquisitionDays < observationDays');
  }
}
