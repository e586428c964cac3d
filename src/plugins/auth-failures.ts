import { LRUCache } from 'lru-cache';

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
 */
export class AuthFailureLimiter {
  private readonly windows = new LRUCache<string, Window>({ max: 100_000 });

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `address` may try again, or 0 when it may now. */
  retryAfterSeconds(address: string): number {
    const window = this.windows.get(address);
    if (!window || window.endsAt <= this.now() || window.failures < this.maxFailures) return 0;
    return Math.max(1, Math.ceil((window.endsAt - this.now()) / 1000));
  }

  recordFailure(address: string): void {
    const now = this.now();
    const window = this.windows.get(address);
    if (!window || window.endsAt <= now)
      this.windows.set(address, { failures: 1, endsAt: now + this.windowMs });
    else window.failures += 1;
  }
}
