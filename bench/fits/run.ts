import { parseArgs } from 'node:util';
import { simulateBtydCustomers } from '../../src/domain/simulation';
import {
  expectedSpend,
  fitBgnbd,
  fitGammaGamma,
  probabilisticClvs,
  summarisePurchases,
  type PurchaseSummary,
  type TimeUnit,
} from '../../src/domain/value';
import { fitBgnbd as baselineFitBgnbd } from './baseline/bgnbd-fit';
import { fitGammaGamma as baselineFitGammaGamma } from './baseline/gamma-gamma-fit';
import { baselineScores } from './baseline/scoring';

/**
 * bench/fits: the model fits and the per-customer scoring of an analytics run, the code in
 * src/domain/value against the copy of the code before it was tuned (bench/fits/baseline), side
 * by side in one process on the same simulated base (the synthetic business's parameters).
 *   npx tsx bench/fits/run.ts --customers 100000 --repeats 3
 * Prints the median wall and CPU seconds of each step, their ratios, and how far the new results
 * are from the old ones (they must agree: same maximum, same scores).
 */
const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '100000' },
    repeats: { type: 'string', default: '3' },
    unit: { type: 'string', default: 'week' },
  },
});
const repeats = Number(values.repeats);
const timeUnit = values.unit as TimeUnit;

interface Timing {
  wall: number;
  cpu: number;
}

const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs `old` and `tuned` alternately `repeats` times (after one untimed warm-up each). */
function compare<A, B>(old: () => A, tuned: () => B): { old: Timing; tuned: Timing; a: A; b: B } {
  const times = {
    old: { wall: [] as number[], cpu: [] as number[] },
    tuned: { wall: [] as number[], cpu: [] as number[] },
  };
  let a = old();
  let b = tuned();
  const run = <T>(f: () => T, into: { wall: number[]; cpu: number[] }): T => {
    const wall = process.hrtime.bigint();
    const cpu = cpuSeconds();
    const result = f();
    into.cpu.push(cpuSeconds() - cpu);
    into.wall.push(Number(process.hrtime.bigint() - wall) / 1e9);
    return result;
  };
  for (let i = 0; i < repeats; i++) {
    a = run(old, times.old);
    b = run(tuned, times.tuned);
  }
  const summary = (t: { wall: number[]; cpu: number[] }) => ({ wall: median(t.wall), cpu: median(t.cpu) });
  return { old: summary(times.old), tuned: summary(times.tuned), a, b };
}

const maxRelative = (xs: readonly number[], ys: readonly number[]) =>
  xs.reduce((m, x, i) => Math.max(m, Math.abs(x - ys[i]!) / Math.max(Math.abs(x), 1e-300)), 0);

const start = '2024-11-01';
const days = 730;
const simulated = simulateBtydCustomers({
  seed: 20261123,
  customers: Number(values.customers),
  bgnbd: { r: 0.28, alpha: 4, a: 0.55, b: 2.8 },
  gammaGamma: { p: 6, q: 4, v: 15 },
  timeUnit: 'day',
  start,
  acquisitionDays: days / 2,
  observationDays: days,
});
const asOf = new Date(Date.parse(`${start}T00:00:00Z`) + days * 86400000).toISOString().slice(0, 10);
const summaries: PurchaseSummary[] = simulated.map((c) =>
  summarisePurchases(c.transactions, asOf, timeUnit)!,
);
const repeaters = summaries.filter((s) => s.frequency > 0);
console.log(
  `${summaries.length} customers (${repeaters.length} repeat buyers), in ${timeUnit}s; median of ${repeats}`,
);

const rows: [string, Timing, Timing][] = [];
const bgnbd = compare(
  () => baselineFitBgnbd(summaries),
  () => fitBgnbd(summaries),
);
rows.push(['fit BG/NBD', bgnbd.old, bgnbd.tuned]);
const gammaGamma = compare(
  () => baselineFitGammaGamma(repeaters),
  () => fitGammaGamma(repeaters),
);
rows.push(['fit Gamma-Gamma', gammaGamma.old, gammaGamma.tuned]);
const horizon = { timeUnit, horizonMonths: 12, annualDiscountRate: 0.1, margin: 1 };
const bg = bgnbd.b.params;
const gg = gammaGamma.b.params;
const scoring = compare(
  () => baselineScores(summaries, bg, gg, horizon),
  () => {
    const spends = summaries.map((s) => expectedSpend(gg, s));
    return { spends, clvs: probabilisticClvs(summaries, spends, { bgnbd: bg, ...horizon }) };
  },
);
rows.push(['scoring (P(alive), spend, CLV)', scoring.old, scoring.tuned]);

const total = (pick: (r: [string, Timing, Timing]) => Timing) => ({
  wall: rows.reduce((s, r) => s + pick(r).wall, 0),
  cpu: rows.reduce((s, r) => s + pick(r).cpu, 0),
});
rows.push(['total', total((r) => r[1]), total((r) => r[2])]);
console.log('\nstep                            old wall  new wall  ratio   old CPU  new CPU  ratio');
for (const [name, old, tuned] of rows) {
  console.log(
    `${name.padEnd(30)} ${old.wall.toFixed(3).padStart(8)}s ${tuned.wall.toFixed(3).padStart(8)}s ${(old.wall / tuned.wall).toFixed(1).padStart(6)}x ` +
      `${old.cpu.toFixed(3).padStart(8)}s ${tuned.cpu.toFixed(3).padStart(7)}s ${(old.cpu / tuned.cpu).toFixed(1).padStart(6)}x`,
  );
}

const bgOld = bgnbd.a;
const ggOld = gammaGamma.a;
console.log('\nagreement of the new results with the old');
console.log(
  `BG/NBD   ${JSON.stringify(bg)}  LL ${bgnbd.b.logLikelihood}\n  (old    ${JSON.stringify(bgOld.params)}  LL ${bgOld.logLikelihood})`,
);
console.log(
  `  max relative difference: parameters ${maxRelative(Object.values(bgOld.params), Object.values(bg)).toExponential(1)}, ` +
    `LL ${Math.abs(bgnbd.b.logLikelihood / bgOld.logLikelihood - 1).toExponential(1)}`,
);
console.log(
  `Gamma-Gamma ${JSON.stringify(gg)}  LL ${gammaGamma.b.logLikelihood}\n  (old    ${JSON.stringify(ggOld.params)}  LL ${ggOld.logLikelihood})`,
);
console.log(
  `  max relative difference: parameters ${maxRelative(Object.values(ggOld.params), Object.values(gg)).toExponential(1)}, ` +
    `LL ${Math.abs(gammaGamma.b.logLikelihood / ggOld.logLikelihood - 1).toExponential(1)}`,
);
const { spends, clvs } = scoring.b;
const identical = scoring.a.every(
  (o, i) =>
    o.pAlive === clvs[i]!.pAlive &&
    o.spend === spends[i] &&
    o.predicted === clvs[i]!.value &&
    o.expectedPurchases === clvs[i]!.expectedPurchases,
);
console.log(`scores (same parameters): ${identical ? 'bit-identical for every customer' : 'DIFFER'}`);
