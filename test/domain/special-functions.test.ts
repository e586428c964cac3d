import { digamma, hyp2f1, lnGamma } from '../../src/domain/value';
import {
  digammaDifference,
  lnRisingFactorial,
  logAddExp,
  logistic,
} from '../../src/domain/value/special-functions';

// Reference values: mpmath at 30 digits (loggamma, digamma, hyp2f1) and closed forms.
describe('special functions', () => {
  it('lnGamma and digamma', () => {
    expect(lnGamma(0.243)).toBeCloseTo(1.3180435846996699, 13);
    expect(lnGamma(1000.5)).toBeCloseTo(5908.674175848678, 9);
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 14);
    expect(digamma(0.243)).toBeCloseTo(-4.351093864423211, 13);
    expect(digamma(50)).toBeCloseTo(3.901989673427892, 13);
  });

  it('hyp2f1 on closed forms and mpmath values', () => {
    expect(hyp2f1(1, 1, 2, 0.5)).toBeCloseTo(2 * Math.log(2), 14); // -ln(1-z)/z
    expect(hyp2f1(0.5, 0.5, 1.5, 0.25)).toBeCloseTo(Math.PI / 3, 14); // asin(sqrt z)/sqrt z
    expect(hyp2f1(0.243, 2.426, 2.219, 0.9)).toBeCloseTo(1.947631169818602, 12);
    expect(hyp2f1(1.976, -0.207, 3.219, 0.9999)).toBeCloseTo(0.7862465801922796, 12);
    expect(hyp2f1(1.976, -0.207, 1002.219, 0.999)).toBeCloseTo(0.9995918015445734, 13);
    expect(hyp2f1(5, 3, 2.5, 0.97) / 341537800.7047843).toBeCloseTo(1, 12);
  });

  it('rising factorials and digamma differences stay exact for huge a', () => {
    expect(lnRisingFactorial(1e12, 3)).toBeCloseTo(3 * Math.log(1e12), 9);
    expect(lnRisingFactorial(0.5, 3)).toBeCloseTo(Math.log(0.5 * 1.5 * 2.5), 14);
    expect(lnRisingFactorial(2.5, 1000)).toBeCloseTo(lnGamma(1002.5) - lnGamma(2.5), 8);
    expect(digammaDifference(1e12, 2)).toBeCloseTo(2e-12, 20);
    expect(digammaDifference(0.3, 100)).toBeCloseTo(digamma(100.3) - digamma(0.3), 12);
  });

  it('log-add-exp and logistic never overflow', () => {
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.log(2), 12);
    expect(logAddExp(-Infinity, 3)).toBe(3);
    expect(logistic(1000)).toBe(1);
    expect(logistic(-1000)).toBe(0);
    expect(logistic(0)).toBe(0.5);
  });
});
