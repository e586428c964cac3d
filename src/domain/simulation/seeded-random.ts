/**
 * A seeded uniform generator: xoshiro128** (Blackman and Vigna 2018) seeded through
 * SplitMix32, so any 32-bit seed gives a well-mixed state. The domain never calls
 * Math.random: the same seed always gives the same customers, in tests and in demo data.
 */
import { imul } from '../value/fast-math';
export interface RandomSource {
  /** A uniform double in (0, 1): never exactly 0 or 1, so logs and divisions are safe. */
  next(): number;
}

export function seededRandom(seed: number): RandomSource {
  let s = seed >>> 0;
  const splitMix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitMix();
  let b = splitMix();
  let c = splitMix();
  let d = splitMix();
  if ((a | b | c | d) === 0) a = 1; // the all-zero state is the one fixed point

  const nextUint32 = () => {
    const result = imul(rotl(imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d >>> 0, 11);
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    return result;
  };

  return {
    next() {
      // 53 random bits, then shifted by half an ulp so the result is strictly inside (0, 1).
      const high = nextUint32() >>> 5;
      const low = nextUint32() >>> 6;
      return (high * 67108864 + low + 0.5) / 9007199254740992;
    },
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
