import {
  changesPage,
  membershipDiff,
  segmentFilterKeys,
  unknownFilterKeys,
} from '../../src/domain/segments/filter';

describe('segment filter keys', () => {
  const known = segmentFilterKeys([
    'limit',
    'cursor',
    'sort',
    'includeDeleted',
    'tag',
    'valueClass',
    'clvMin',
  ]);

  test('paging, order and includeDeleted are no filters', () => {
    expect([...known].sort()).toEqual(['clvMin', 'tag', 'valueClass']);
  });

  test('unknown keys are named in order; custom fields pass by pattern', () => {
    expect(unknownFilterKeys({ tag: ['vip'], 'cf.tier': 'a', valueTier: 1, limit: 5 }, known)).toEqual([
      'valueTier',
      'limit',
    ]);
    expect(unknownFilterKeys({ 'cf.': 'x', 'cf.bad-key': 'x' }, known)).toEqual(['cf.', 'cf.bad-key']);
    expect(unknownFilterKeys({}, known)).toEqual([]);
  });
});

describe('changes paging', () => {
  const rows = [
    { change: 'entered' as const, customerId: 'a' },
    { change: 'entered' as const, customerId: 'b' },
    { change: 'left' as const, customerId: 'c' },
  ];

  test('a page splits into entered then left and points at its last row', () => {
    expect(changesPage(rows, 2)).toEqual({ entered: ['a', 'b'], left: [], next: rows[1] });
    expect(changesPage(rows.slice(1), 2)).toEqual({ entered: ['b'], left: ['c'], next: null });
    expect(changesPage([], 5)).toEqual({ entered: [], left: [], next: null });
  });
});

describe('membership difference', () => {
  test('entered and left, each sorted', () => {
    expect(membershipDiff(['c', 'a', 'b'], ['d', 'b', 'a'])).toEqual({ entered: ['d'], left: ['c'] });
    expect(membershipDiff([], [])).toEqual({ entered: [], left: [] });
  });
});
