import type Redis from 'ioredis';

export interface WindowCount {
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window ends. */
  ttlMs: number;
}

/** A fixed-window counter that every instance on one Redis shares. */
export interface SharedWindowCounter {
  hit(key: string, windowMs: number): Promise<WindowCount>;
}

// One round trip: count the hit, start the window on the first one, answer both.
const HIT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

export class RedisWindowCounter implements SharedWindowCounter {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const [count, ttlMs] = (await this.redis.eval(HIT, 1, this.keyPrefix + key, windowMs)) as [
      number,
      number,
    ];
    return { count, ttlMs };
  }
}
