import { paretoShare, ValueDomainError } from '../../src/domain/value';

describe('paretoShare', () => {
  it('reports the share of the top 20% and who they are', () => {
    const customers = Array.from({ length: 10 }, (_, i) => ({
      id: `c${i}`,
      contribution: i === 3 ? 80 : i === 7 ? 70 : 5,
    }));
    const result = paretoShare(customers);
    expect(result.topCount).toBe(2);
    expect(result.topCustomerIds).toEqual(['c3', 'c7']);
    expect(result.totalContribution).toBe(190);
    expect(result.topShare).toBeCloseTo(150 / 190, 14);
  });

  it('rounds the top group up, breaks ties by id, and handles empty and zero bases', () => {
    const tied = ['b', 'a', 'c'].map((id) => ({ id, contribution: 1 }));
    expect(paretoShare(tied).topCustomerIds).toEqual(['a']);
    expect(paretoShare([])).toEqual({
      topCount: 0,
      topCustomerIds: [],
      topContribution: 0,
      totalContribution: 0,
      topShare: 0,
    });
    expect(paretoShare([{ id: 'x', contribution: 0 }]).topShare).toBe(0);
    expect(paretoShare(Array.from({ length: 5 }, (_, i) => ({ id: `${i}`, contribution: 1 }))).topCount).toBe(
      1,
    );
  });

  it('rejects a share outside (0, 1]', () => {
    expect(() => paretoShare([], 0)).toThrow(ValueDomainError);
  });
});
