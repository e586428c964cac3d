import { baseMedianCycle, churnStatus, DEFAULT_CHURN_RULES, ValueDomainError } from '../../src/domain/value';

describe('churnStatus', () => {
  it('applies d > 2c at risk and d > 3c churned', () => {
    expect(churnStatus({ sinceLastPurchase: 20, averageCycle: 10 }, null)).toBe('active');
    expect(churnStatus({ sinceLastPurchase: 20.01, averageCycle: 10 }, null)).toBe('at_risk');
    expect(churnStatus({ sinceLastPurchase: 30.01, averageCycle: 10 }, null)).toBe('churned');
  });

  it('takes configurable factors', () => {
    const rules = { ...DEFAULT_CHURN_RULES, atRiskFactor: 1.5, churnedFactor: 2 };
    expect(churnStatus({ sinceLastPurchase: 16, averageCycle: 10 }, null, rules)).toBe('at_risk');
    expect(churnStatus({ sinceLastPurchase: 21, averageCycle: 10 }, null, rules)).toBe('churned');
    expect(() =>
      churnStatus({ sinceLastPurchase: 1, averageCycle: 1 }, null, { ...rules, churnedFactor: 1 }),
    ).toThrow(ValueDomainError);
  });

  it('judges a one-time buyer by the median cycle of the base', () => {
    const median = baseMedianCycle([4, null, 10, 6, null]);
    expect(median).toBe(6);
    expect(churnStatus({ sinceLastPurchase: 13, averageCycle: null }, median)).toBe('at_risk');
    expect(churnStatus({ sinceLastPurchase: 19, averageCycle: null }, median)).toBe('churned');
  });

  it('with nobody having bought twice, a one-time buyer is active unless P(alive) says otherwise', () => {
    expect(baseMedianCycle([null, null])).toBeNull();
    expect(churnStatus({ sinceLastPurchase: 1000, averageCycle: null }, null)).toBe('active');
  });

  it('P(alive) below the threshold is churned', () => {
    expect(churnStatus({ sinceLastPurchase: 1, averageCycle: 10, pAlive: 0.05 }, null)).toBe('churned');
    expect(churnStatus({ sinceLastPurchase: 1, averageCycle: 10, pAlive: 0.5 }, null)).toBe('active');
  });

  it('a purchase after a churned snapshot is won back; the label stays while active', () => {
    expect(
      churnStatus(
        { sinceLastPurchase: 1, averageCycle: 10, previousStatus: 'churned', purchasedSincePrevious: true },
        null,
      ),
    ).toBe('won_back');
    expect(
      churnStatus(
        { sinceLastPurchase: 1, averageCycle: 10, previousStatus: 'churned', purchasedSincePrevious: false },
        null,
      ),
    ).toBe('active');
    expect(churnStatus({ sinceLastPurchase: 5, averageCycle: 10, previousStatus: 'won_back' }, null)).toBe(
      'won_back',
    );
    expect(churnStatus({ sinceLastPurchase: 25, averageCycle: 10, previousStatus: 'won_back' }, null)).toBe(
      'at_risk',
    );
    expect(
      churnStatus(
        { sinceLastPurchase: 1, averageCycle: 10, previousStatus: 'at_risk', purchasedSincePrevious: true },
        null,
      ),
    ).toBe('active');
  });
});
