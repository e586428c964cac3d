import {
  notConvertedTag,
  parsePipeline,
  stageProblems,
  weightedAmount,
} from '../../src/domain/opportunities/pipeline';

const pipeline = parsePipeline('qualification:0.1,proposal:0.4,negotiation:0.7,won:1,lost:0')!;

test('the default pipeline parses with its probabilities', () => {
  expect(pipeline.stages).toEqual([
    { name: 'qualification', probability: 0.1 },
    { name: 'proposal', probability: 0.4 },
    { name: 'negotiation', probability: 0.7 },
    { name: 'won', probability: 1 },
    { name: 'lost', probability: 0 },
  ]);
});

test('probabilities left out are spread over the open stages; won 1, lost 0', () => {
  expect(parsePipeline('lead,demo,offer,won,lost')!.stages).toEqual([
    { name: 'lead', probability: 0.1 },
    { name: 'demo', probability: 0.5 },
    { name: 'offer', probability: 0.9 },
    { name: 'won', probability: 1 },
    { name: 'lost', probability: 0 },
  ]);
});

test.each([
  'lead,won',
  'lead,lost',
  'won,lost',
  'lead,lead,won,lost',
  'lead:1.5,won,lost',
  'Lead,won,lost',
  'lead:x,won,lost',
  'a:0.1:2,won,lost',
])('refuses %s', (setting) => expect(parsePipeline(setting)).toBeUndefined());

test('stage rules: known stage, closed stages do not move, won needs an order, lost a reason', () => {
  const move = (
    from: string | null,
    to: string,
    orderId: string | null = null,
    lostReason: string | null = null,
  ) => stageProblems(pipeline, { from, to, orderId, lostReason }).map((p) => p.rule);
  expect(move(null, 'qualification')).toEqual([]);
  expect(move('qualification', 'negotiation')).toEqual([]);
  expect(move('negotiation', 'proposal')).toEqual([]);
  expect(move('proposal', 'signed')).toEqual(['unknown_stage']);
  expect(move('proposal', 'won')).toEqual(['order_required']);
  expect(move('proposal', 'won', 'o-1')).toEqual([]);
  expect(move('proposal', 'lost')).toEqual(['lost_reason_required']);
  expect(move('proposal', 'lost', null, 'price')).toEqual([]);
  expect(move('won', 'proposal')).toEqual(['opportunity_closed']);
  expect(move('lost', 'won', 'o-1')).toEqual(['opportunity_closed']);
  // Staying in a closed stage is no move (a PATCH of the notes of a won opportunity).
  expect(move('won', 'won', 'o-1')).toEqual([]);
  expect(notConvertedTag('price')).toBe('not-converted:price');
});

test('weighted amount: amount x probability to the cent, half away from zero', () => {
  expect(weightedAmount('12000.00', 0.4)).toBe('4800.00');
  expect(weightedAmount('10.01', 0.5)).toBe('5.01'); // 5.005 -> 5.01
  expect(weightedAmount('99.99', 0)).toBe('0.00');
  expect(weightedAmount('1234.5678', 1)).toBe('1234.57');
  expect(weightedAmount('100.00', 0.333333)).toBe('33.33');
});
