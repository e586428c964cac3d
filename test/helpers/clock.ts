/** A clock that stands still until a test moves it, so timestamps in answers are predictable. */
export interface TestClock {
  (): Date;
  set: (iso: string) => void;
  advance: (ms: number) => void;
}

export function testClock(startIso = '2026-11-23T08:00:00.000Z'): TestClock {
  let now = new Date(startIso).getTime();
  const clock = (() => new Date(now)) as TestClock;
  clock.set = (iso) => {
    now = new Date(iso).getTime();
  };
  clock.advance = (ms) => {
    now += ms;
  };
  return clock;
}
