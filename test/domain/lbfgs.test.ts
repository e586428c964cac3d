import { minimizeLbfgs } from '../../src/domain/value';

describe('minimizeLbfgs', () => {
  it('finds the Rosenbrock minimum', () => {
    const result = minimizeLbfgs(
      ([x, y]) => {
        const a = x as number;
        const b = y as number;
        return {
          value: (1 - a) ** 2 + 100 * (b - a * a) ** 2,
          gradient: [-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)],
        };
      },
      [-1.2, 1],
      { gradientTolerance: 1e-6 },
    );
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 6);
    expect(result.x[1]).toBeCloseTo(1, 6);
  });

  it('backs off from points outside the domain (infinite values)', () => {
    // ln-barrier at x = 0: the unit first step from x = 0.1 would leave the domain.
    const result = minimizeLbfgs(
      ([x]) => {
        const v = x as number;
        return v <= 0
          ? { value: Infinity, gradient: [NaN] }
          : { value: v - 2 * Math.log(v), gradient: [1 - 2 / v] };
      },
      [0.1],
    );
    expect(result.x[0]).toBeCloseTo(2, 7);
  });

  it('refuses a start where the objective is not finite', () => {
    expect(() => minimizeLbfgs(() => ({ value: NaN, gradient: [0] }), [0])).toThrow(RangeError);
  });
});
