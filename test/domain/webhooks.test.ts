import {
  addressRefusal,
  deliveryBody,
  generateSecret,
  isValidSecret,
  nextAttemptAt,
  parseDuration,
  parseRetrySchedule,
  sign,
  signatureHeader,
  urlRefusal,
} from '../../src/domain/webhooks';

describe('Standard Webhooks signature', () => {
  // The reference vector published with the Standard Webhooks specification's libraries.
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const body = '{"test": 2432232314}';

  it('reproduces the published reference signature', () => {
    expect(sign(secret, id, 1614265330, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('changes with the timestamp, the id and every byte of the body', () => {
    const base = sign(secret, id, 1614265330, body);
    expect(sign(secret, id, 1614265331, body)).not.toBe(base);
    expect(sign(secret, 'msg_other', 1614265330, body)).not.toBe(base);
    expect(sign(secret, id, 1614265330, '{"test":2432232314}')).not.toBe(base);
  });

  it('lists one signature per live secret, current first, space-separated', () => {
    const other = generateSecret();
    const header = signatureHeader([other, secret], id, 1614265330, body);
    const [first, second] = header.split(' ');
    expect(first).toBe(sign(other, id, 1614265330, body));
    expect(second).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('generates secrets of 32 random bytes that it accepts', () => {
    const a = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(isValidSecret(a)).toBe(true);
    expect(generateSecret()).not.toBe(a);
  });

  it('refuses secrets without the prefix or with a key outside 24 to 64 bytes', () => {
    expect(isValidSecret('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBe(false);
    expect(isValidSecret('whsec_' + Buffer.alloc(16).toString('base64'))).toBe(false);
    expect(isValidSecret('whsec_' + Buffer.alloc(65, 1).toString('base64'))).toBe(false);
    expect(isValidSecret('whsec_' + Buffer.alloc(64, 1).toString('base64'))).toBe(true);
  });
});

describe('retry schedule', () => {
  it('parses comma-separated durations into milliseconds', () => {
    expect(parseRetrySchedule('5s,5m,30m,2h,5h,10h,14h,20h')).toEqual([
      5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000,
    ]);
    expect(parseRetrySchedule(' 50ms , 1d ')).toEqual([50, 86_400_000]);
    expect(parseDuration('5d')).toBe(432_000_000);
  });

  it('refuses anything that is not a list of positive durations', () => {
    for (const bad of ['', '5', '5s,,5m', '5x', '-5s', '0s', 'soon', '5s;5m'])
      expect(parseRetrySchedule(bad)).toBeNull();
  });

  it('the default schedule gives at least 8 retries over at least 24 hours', () => {
    const schedule = parseRetrySchedule('5s,5m,30m,2h,5h,10h,14h,20h')!;
    expect(schedule.length).toBeGreaterThanOrEqual(8);
    // The smallest jitter factor still spans a day.
    expect(schedule.reduce((a, b) => a + b, 0) * 0.8).toBeGreaterThan(24 * 3600_000);
  });

  it('schedules attempt k+1 after the k-th delay with jitter in [0.8, 1.2), and none after the last', () => {
    const schedule = [1000, 60_000];
    const at = new Date('2026-12-01T00:00:00Z');
    expect(nextAttemptAt(schedule, 1, at, 0)!.getTime() - at.getTime()).toBe(800);
    expect(nextAttemptAt(schedule, 1, at, 0.5)!.getTime() - at.getTime()).toBe(1000);
    expect(nextAttemptAt(schedule, 2, at, 0.999)!.getTime() - at.getTime()).toBeLessThan(72_000);
    expect(nextAttemptAt(schedule, 2, at, 0.999)!.getTime() - at.getTime()).toBeGreaterThan(71_900);
    expect(nextAttemptAt(schedule, 3, at, 0.5)).toBeNull();
  });
});

describe('address policy', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['::1', 'loopback'],
    ['fd00::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['::', 'unspecified'],
    ['::ffff:10.0.0.1', 'private'],
    ['100.64.0.1', 'carrierGradeNat'],
  ])('refuses %s (%s)', (address, range) => {
    expect(addressRefusal(address, false)).toContain(range);
    expect(addressRefusal(address, true)).toBeNull();
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111'])('allows the public address %s', (address) => {
    expect(addressRefusal(address, false)).toBeNull();
  });

  it('wants https unless private delivery is allowed, and no credentials in the URL', () => {
    expect(urlRefusal(new URL('http://hooks.example.com/x'), false)).toMatch(/https/);
    expect(urlRefusal(new URL('http://hooks.example.com/x'), true)).toBeNull();
    expect(urlRefusal(new URL('ftp://hooks.example.com/x'), true)).toMatch(/http/);
    expect(urlRefusal(new URL('https://u:p@hooks.example.com/x'), false)).toMatch(/credentials/);
    expect(urlRefusal(new URL('https://[::1]:8443/x'), false)).toMatch(/loopback/);
    expect(urlRefusal(new URL('https://localhost/x'), false)).toMatch(/loopback/);
    expect(urlRefusal(new URL('https://hooks.example.com/x'), false)).toBeNull();
  });
});

describe('delivery body', () => {
  const event = {
    id: '0193a1b2-0000-7000-8000-000000000001',
    type: 'customer.value_class_changed',
    occurredAt: new Date('2026-12-01T08:00:00.000Z'),
    entityType: 'customer',
    entityId: '0193a1b2-0000-7000-8000-0000000000c1',
    customerId: '0193a1b2-0000-7000-8000-0000000000c1',
    runId: '0193a1b2-0000-7000-8000-0000000000r1',
    data: { id: '0193a1b2-0000-7000-8000-0000000000c1', value: { clv: 412.5 } },
    changes: [{ field: 'valueClass', from: null, to: 'gold' }],
    actorKeyId: null,
    actorName: null,
    requestId: null,
  };

  it('is type, the event time and data, the same bytes every time', () => {
    const body = deliveryBody(event);
    expect(deliveryBody({ ...event, data: JSON.parse(JSON.stringify(event.data)) })).toBe(body);
    const parsed = JSON.parse(body);
    expect(Object.keys(parsed)).toEqual(['type', 'timestamp', 'data']);
    expect(parsed.timestamp).toBe('2026-12-01T08:00:00.000Z');
    expect(parsed.data.object).toEqual(event.data);
  });

  it('names the old and new value and the predicted CLV of a value event', () => {
    const parsed = JSON.parse(deliveryBody(event));
    expect(parsed.data).toMatchObject({ oldValue: null, newValue: 'gold', predictedClv: 412.5 });
    const plain = JSON.parse(deliveryBody({ ...event, type: 'customer.updated' }));
    expect(plain.data.oldValue).toBeUndefined();
  });
});
