import { seededRandom, simulateBtydCustomers, type RandomSource } from '../domain/simulation';

/**
 * A synthetic business for demos, tests and benchmarks: customers whose purchases follow a
 * BG/NBD process and whose spend follows Gamma-Gamma (known parameters, so fits can be checked
 * against the truth), plus payments where most customers pay on time and some pay late or not
 * at all. Output is in the API's own request shapes, ready to send to the batch endpoints.
 */
export interface SyntheticBusinessOptions {
  customers: number;
  seed: number;
  /** First day of the two-year history ('YYYY-MM-DD'). */
  start: string;
  /** Days of history; first purchases fall in the first half. */
  days: number;
  /** Daily-unit BG/NBD parameters (alpha in days). */
  bgnbd: { r: number; alpha: number; a: number; b: number };
  gammaGamma: { p: number; q: number; v: number };
  /** Prefix of every external id, so several demo loads can live side by side. */
  prefix: string;
}

/** About ten orders per customer over two years, with a realistic spread of loyal and one-time buyers. */
export const DEFAULT_BUSINESS: SyntheticBusinessOptions = {
  customers: 10000,
  seed: 20261123,
  start: '2024-11-01',
  days: 730,
  bgnbd: { r: 0.28, alpha: 4, a: 0.55, b: 2.8 },
  gammaGamma: { p: 6, q: 4, v: 15 },
  prefix: 'demo',
};

export interface DemoCustomer {
  externalId: string;
  name: string;
  kind: 'person' | 'organization';
  category: 'consumer' | 'enterprise' | 'channel';
  emails: Array<{ address: string }>;
  region: string;
  lifecycleStage: 'acquisition' | 'retention';
  tags: string[];
}

export interface DemoOrder {
  externalId: string;
  customerExternalId: string;
  orderedAt: string;
  amount: string;
  currency: string;
  region: string;
  status: 'shipped' | 'cancelled' | 'returned';
}

export interface DemoPayment {
  externalId: string;
  customerExternalId: string;
  amount: string;
  currency: string;
  receivedAt: string;
}

export interface SyntheticBusiness {
  customers: DemoCustomer[];
  orders: DemoOrder[];
  payments: DemoPayment[];
}

const GIVEN = [
  'Ada',
  'Alan',
  'Grace',
  'Edsger',
  'Barbara',
  'Donald',
  'Frances',
  'Ken',
  'Radia',
  'Tim',
  'Margaret',
  'John',
];
const FAMILY = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Thompson',
  'Perlman',
  'Lee',
];
const FIRMS = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Vandelay',
  'Stark',
  'Wayne',
  'Tyrell',
  'Cyberdyne',
];
const REGIONS = ['north', 'south', 'east', 'west'];
const MS_PER_DAY = 86_400_000;

const pick = <T>(random: RandomSource, list: readonly T[]): T =>
  list[Math.floor(random.next() * list.length)]!;

function makeCustomer(
  random: RandomSource,
  externalId: string,
  index: number,
  repeat: boolean,
): DemoCustomer {
  const draw = random.next();
  const category = draw < 0.8 ? 'consumer' : draw < 0.95 ? 'enterprise' : 'channel';
  const organization = category !== 'consumer';
  const name = organization
    ? `${pick(random, FIRMS)} ${pick(random, ['Ltd', 'GmbH', 'Inc', 'SA'])} ${index}`
    : `${pick(random, GIVEN)} ${pick(random, FAMILY)}`;
  return {
    externalId,
    name,
    kind: organization ? 'organization' : 'person',
    category,
    emails: [{ address: `${externalId}@example.com` }],
    region: pick(random, REGIONS),
    lifecycleStage: repeat ? 'retention' : 'acquisition',
    tags: [
      pick(random, ['price:low', 'price:mid', 'price:high']),
      `interest:${pick(random, ['music', 'books', 'games'])}`,
    ],
  };
}

/** How a customer pays: most on time, some late, a few leave invoices open. */
function paymentDelayDays(random: RandomSource, habit: number): number | null {
  if (habit < 0.75) return 5 + random.next() * 25;
  if (habit < 0.92) return 35 + random.next() * 80;
  return random.next() < 0.5 ? null : 60 + random.next() * 120;
}

export function syntheticBusiness(options: SyntheticBusinessOptions = DEFAULT_BUSINESS): SyntheticBusiness {
  const simulated = simulateBtydCustomers({
    seed: options.seed,
    customers: options.customers,
    bgnbd: options.bgnbd,
    gammaGamma: options.gammaGamma,
    timeUnit: 'day',
    start: options.start,
    acquisitionDays: options.days / 2,
    observationDays: options.days,
    idPrefix: `${options.prefix}-c-`,
  });
  const random = seededRandom(options.seed + 1);
  const endMs = Date.parse(`${options.start}T00:00:00Z`) + options.days * MS_PER_DAY;
  const business: SyntheticBusiness = { customers: [], orders: [], payments: [] };
  simulated.forEach((sim, i) => {
    const customer = makeCustomer(random, sim.id, i + 1, sim.transactions.length > 1);
    business.customers.push(customer);
    const habit = random.next();
    sim.transactions.forEach((tx, k) => {
      const draw = random.next();
      const status = draw < 0.03 ? 'cancelled' : draw < 0.05 ? 'returned' : 'shipped';
      const orderId = `${options.prefix}-o-${sim.id.slice(options.prefix.length + 3)}-${k + 1}`;
      const amount = Math.max(tx.amount, 0.01).toFixed(2);
      business.orders.push({
        externalId: orderId,
        customerExternalId: sim.id,
        orderedAt: tx.orderedAt,
        amount,
        currency: 'USD',
        region: customer.region,
        status,
      });
      if (status !== 'shipped') return;
      const delay = paymentDelayDays(random, habit);
      if (delay === null) return;
      const receivedMs = Date.parse(tx.orderedAt) + delay * MS_PER_DAY;
      if (receivedMs >= endMs) return;
      business.payments.push({
        externalId: `${options.prefix}-p-${orderId.slice(options.prefix.length + 3)}`,
        customerExternalId: sim.id,
        amount,
        currency: 'USD',
        receivedAt: new Date(receivedMs).toISOString(),
      });
    });
  });
  business.payments.sort((x, y) => (x.receivedAt < y.receivedAt ? -1 : 1));
  return business;
}
