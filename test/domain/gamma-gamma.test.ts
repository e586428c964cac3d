import {
  expectedSpend,
  expectedSpendNewCustomer,
  fitGammaGamma,
  gammaGammaLogLikelihood,
  gammaGammaLogLikelihoodWithGradient,
  gammaGammaTotalLogLikelihood,
  ValueDomainError,
} from '../../src/domain/value';

// The published CDNOW fit (Fader and Hardie 2013, note 025); references by mpmath at 30 digits.
const cdnow = { p: 6.25, q: 3.74, v: 15.44 };

describe('Gamma-Gamma', () => {
  it('log-likelihood of single customers', () => {
    expect(gammaGammaLogLikelihood(cdnow, { frequency: 2, repeatAverageAmount: 22.35 })).toBeCloseTo(
      -3.5513167597317046,
      12,
    );
    expect(gammaGammaLogLikelihood(cdnow, { frequency: 1, repeatAverageAmount: 11.77 })).toBeCloseTo(
      -3.73770967874084,
      12,
    );
    expect(gammaGammaLogLikelihood(cdnow, { frequency: 1000, repeatAverageAmount: 35 })).toBeCloseTo(
      -3.994629180499931,
      8,
    );
  });

  it('sums over customers as the per-customer terms, whatever their order', () => {
    const customers = [
      { frequency: 3, repeatAverageAmount: 12.5 },
      { frequency: 1, repeatAverageAmount: 40 },
      { frequency: 3, repeatAverageAmount: 80 },
      { frequency: 1000, repeatAverageAmount: 35 },
      { frequency: 1, repeatAverageAmount: 40 },
    ];
    const sum = customers.reduce((s, c) => s + gammaGammaLogLikelihood(cdnow, c), 0);
    expect(gammaGammaTotalLogLikelihood(cdnow, customers)).toBeCloseTo(sum, 9);
  });

  it('has an analytic gradient that matches central differences', () => {
    const customers = [
      { frequency: 1, repeatAverageAmount: 10 },
      { frequency: 4, repeatAverageAmount: 55 },
      { frequency: 30, repeatAverageAmount: 20 },
    ];
    const params = { p: 2, q: 3, v: 12 };
    const { gradient } = gammaGammaLogLikelihoodWithGradient(params, customers);
    (['p', 'q', 'v'] as const).forEach((name, i) => {
      const h = 1e-6 * params[name];
      const up = gammaGammaTotalLogLikelihood({ ...params, [name]: params[name] + h }, customers);
      const down = gammaGammaTotalLogLikelihood({ ...params, [name]: params[name] - h }, customers);
      expect(gradient[i]).toBeCloseTo((up - down) / (2 * h), 6);
    });
  });

  it('expected spend shrinks the customer mean towards the population mean', () => {
    expect(expectedSpend(cdnow, { frequency: 2, repeatAverageAmount: 22.35 })).toBeCloseTo(
      24.663713910761157,
      12,
    );
    expect(expectedSpendNewCustomer(cdnow)).toBeCloseTo(35.21897810218978, 12);
    expect(expectedSpend(cdnow, { frequency: 0, repeatAverageAmount: 0 })).toBeCloseTo(35.21897810218978, 12);
    // with many purchases the customer's own mean dominates
    expect(expectedSpend(cdnow, { frequency: 1000, repeatAverageAmount: 50 })).toBeCloseTo(50, 0);
  });

  it('expected spend is undefined (typed error) when q <= 1 for a new customer', () => {
    expect(() => expectedSpendNewCustomer({ p: 2, q: 0.8, v: 10 })).toThrow(
      expect.objectContaining({ code: 'undefined_expectation' }),
    );
    expect(expectedSpend({ p: 2, q: 0.8, v: 10 }, { frequency: 1, repeatAverageAmount: 10 })).toBeCloseTo(
      (2 * 20) / 1.8,
      12,
    );
  });

  it('fit: insufficient_data without repeat buyers, fit_failed when every spend is alike', () => {
    expect(() =>
      fitGammaGamma([
        { frequency: 0, repeatAverageAmount: 0 },
        { frequency: 1, repeatAverageAmount: 5 },
      ]),
    ).toThrow(expect.objectContaining({ code: 'insufficient_data' }));
    const same = Array.from({ length: 100 }, (_, i) => ({ frequency: 1 + (i % 5), repeatAverageAmount: 20 }));
    expect(() => fitGammaGamma(same)).toThrow(ValueDomainError);
    expect(() => fitGammaGamma(same)).toThrow(expect.objectContaining({ code: 'fit_failed' }));
  });

  it('rejects a customer without positive repeat spend in the likelihood', () => {
    expect(() => gammaGammaLogLikelihood(cdnow, { frequency: 0, repeatAverageAmount: 0 })).toThrow(
      ValueDomainError,
    );
  });
});
