import { LRUCache } from 'lru-cache';
import type { SharedWindowCounter } from './redis-window-counter';

interface Window {
  failures: number;
  /** When the window ends, in ms since the epoch. */
  endsAt: number;
}

/**
 * Failed authentications per client address in fixed windows. A caller past the limit gets 429
 * for every request until its window ends, before any key is looked up: guessing keys costs a
 * database look-up per guess, and the limit after authentication counts per key, which a
 * guesser does not have. Addresses are kept in a bounded LRU, so a flood of addresses cannot
 * grow it without end.
 *
 * With a shared counter (REDIS_URL) each failure is also counted in Redis, and the instance
 * adopts the count of all instances together. The check before authentication stays local (no
 * round trip on a good request), so an instance learns of failures elsewhere when the address
 * next fails on it: across N instances an address gets at most N - 1 tries beyond the limit
 * (docs/SCALING.md). When Redis fails, the local count goes on alone.
 */
export class AuthFailureLimiter {
  private readonly windows = new LRUCache<string, Window>({ max: 100_000 });

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly shared?: SharedWindowCounter,
  ) {}

  /** Seconds until `address` may try again, or 0 when it may now. */
  retryAfterSeconds(address: string): number {
    const window = this.windows.get(address);
    if (!window || window.endsAt <= this.now() || window.failures < this.maxFailures) return 0;
    return Math.max(1, Math.ceil((window.endsAt - this.now()) / 1000));
  }

  /** Counts a failure; resolves once the shared count (if any) is known here, never rejects. */
  async recordFailure(address: string): Promise<void> {
    const now = this.now();
    let window = this.windows.get(address);
    if (!window || window.endsAt <= now) {
      window = { failures: 1, endsAt: now + this.windowMs };
      this.windows.set(address, window);
    } else window.failures += 1;
    if (!this.shared) return;
    try {
      const { count, ttlMs } = await this.shared.hit(`auth-failures:${address}`, this.windowMs);
      if (count > window.failures) {
        window.failures = count;
        window.endsAt = this.now() + ttlMs;
      }
    } catch {
      // Redis is down (the client logs that once): this instance's own count still holds.
    }
  }
}
