import { AuthFailureLimiter } from '../../src/plugins/auth-failures';

describe('AuthFailureLimiter', () => {
  test('blocks an address at the limit until its window ends, then counts afresh', () => {
    let now = 1_000_000;
    const limiter = new AuthFailureLimiter(3, 60_000, () => now);
    expect(limiter.retryAfterSeconds('a')).toBe(0);
    limiter.recordFailure('a');
    limiter.recordFailure('a');
    expect(limiter.retryAfterSeconds('a')).toBe(0);
    limiter.recordFailure('a');
    expect(limiter.retryAfterSeconds('a')).toBe(60);
    expect(limiter.retryAfterSeconds('b')).toBe(0);
    now += 59_001;
    expect(limiter.retryAfterSeconds('a')).toBe(1);
    now += 999;
    expect(limiter.retryAfterSeconds('a')).toBe(0);
    // A new window starts with the next failure.
    limiter.recordFailure('a');
    expect(limiter.retryAfterSeconds('a')).toBe(0);
  });
});
