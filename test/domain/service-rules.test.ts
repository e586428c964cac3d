import { feedbackGroups } from '../../src/domain/service/service-feedback';
import { complaintNumber, planComplaintMove } from '../../src/domain/service/complaint-status';
import { renderTemplate, unknownPlaceholders } from '../../src/domain/service/answer-template';
import { factorFor, parseValueClassFactors, slaStatus, tightened } from '../../src/domain/service/sla';
import {
  SERVICE_MOVES,
  SERVICE_STATUSES,
  minutesBetween,
  planServiceMove,
} from '../../src/domain/service/service-status';

describe('service record status flow', () => {
  test('every documented move is allowed and nothing else', () => {
    for (const from of SERVICE_STATUSES)
      for (const to of SERVICE_STATUSES) {
        const plan = planServiceMove(from, to, false);
        expect(plan.ok).toBe(SERVICE_MOVES[from].includes(to));
      }
  });

  test('closed -> waiting is refused naming the allowed targets', () => {
    expect(planServiceMove('closed', 'waiting', true)).toEqual({ ok: false, allowed: ['open'] });
  });

  test('the first move out of open is the first response; a reopen keeps it', () => {
    const first = planServiceMove('open', 'in_progress', false);
    expect(first.ok && first.move.setsFirstResponse).toBe(true);
    const again = planServiceMove('open', 'in_progress', true);
    expect(again.ok && again.move.setsFirstResponse).toBe(false);
    const reopen = planServiceMove('resolved', 'open', true);
    expect(reopen.ok && reopen.move.reopens).toBe(true);
    const resolve = planServiceMove('waiting', 'resolved', true);
    expect(resolve.ok && resolve.move.setsResolved).toBe(true);
  });

  test('minutes between two instants', () => {
    expect(minutesBetween(new Date('2026-01-01T08:00:00Z'), new Date('2026-01-01T09:30:00Z'))).toBe(90);
    expect(minutesBetween(new Date('2026-01-01T08:00:00Z'), null)).toBeNull();
  });
});

describe('complaint status flow', () => {
  test('reopening a resolved or closed complaint counts; closed -> resolved is refused', () => {
    expect(planComplaintMove('resolved', 'open')).toEqual({ ok: true, reopens: true });
    expect(planComplaintMove('closed', 'in_progress')).toEqual({ ok: true, reopens: true });
    expect(planComplaintMove('open', 'in_progress')).toEqual({ ok: true, reopens: false });
    expect(planComplaintMove('closed', 'resolved')).toEqual({ ok: false, allowed: ['open', 'in_progress'] });
  });

  test('numbers are C-<year>-<6 digits>', () => {
    expect(complaintNumber(2026, 123)).toBe('C-2026-000123');
    expect(complaintNumber(2027, 1)).toBe('C-2027-000001');
  });
});

describe('SLA', () => {
  const targets = { firstResponseMinutes: 60, resolveMinutes: 480 };
  const openedAt = new Date('2026-03-02T08:00:00Z');

  test('a pending target is breached once now passes the due time', () => {
    const early = slaStatus(
      { openedAt, firstResponseAt: null, resolvedAt: null },
      targets,
      1,
      null,
      new Date('2026-03-02T08:59:00Z'),
    );
    expect(early).toEqual(
      expect.objectContaining({
        firstResponseDueAt: '2026-03-02T09:00:00.000Z',
        resolveDueAt: '2026-03-02T16:00:00.000Z',
        breached: false,
      }),
    );
    const late = slaStatus(
      { openedAt, firstResponseAt: null, resolvedAt: null },
      targets,
      1,
      null,
      new Date('2026-03-02T09:01:00Z'),
    );
    expect(late).toEqual(expect.objectContaining({ firstResponseBreached: true, resolveBreached: false }));
  });

  test('a met target stays met; a late one stays breached', () => {
    const status = slaStatus(
      {
        openedAt,
        firstResponseAt: new Date('2026-03-02T08:30:00Z'),
        resolvedAt: new Date('2026-03-02T17:00:00Z'),
      },
      targets,
      1,
      null,
      new Date('2026-03-09T00:00:00Z'),
    );
    expect(status).toEqual(
      expect.objectContaining({ firstResponseBreached: false, resolveBreached: true, breached: true }),
    );
  });

  test('a value class tightens the minutes', () => {
    const factors = parseValueClassFactors('platinum:0.5, gold:0.75');
    expect(factors).toEqual({ platinum: 0.5, gold: 0.75 });
    expect(factorFor(factors, 'platinum')).toBe(0.5);
    expect(factorFor(factors, 'silver')).toBe(1);
    expect(factorFor(factors, null)).toBe(1);
    expect(tightened(45, 0.75)).toBe(34);
    const status = slaStatus(
      { openedAt, firstResponseAt: null, resolvedAt: null },
      targets,
      0.5,
      'platinum',
      openedAt,
    );
    expect(status.firstResponseDueAt).toBe('2026-03-02T08:30:00.000Z');
    expect(parseValueClassFactors('')).toEqual({});
  });

  test('bad factor settings are refused', () => {
    expect(() => parseValueClassFactors('platinum')).toThrow();
    expect(() => parseValueClassFactors('diamond:0.5')).toThrow();
    expect(() => parseValueClassFactors('gold:1.5')).toThrow();
    expect(() => parseValueClassFactors('gold:0')).toThrow();
  });
});

describe('standard answer templates', () => {
  test('unknown placeholders are named once each', () => {
    expect(unknownPlaceholders('Dear {{customer.name}}, {{ customer.nmae }} {{x}} {{x}}')).toEqual([
      'customer.nmae',
      'x',
    ]);
    expect(unknownPlaceholders('Dear {{ customer.name }}, re {{complaint.number}}')).toEqual([]);
  });

  test('rendering fills every slot; a missing value is empty', () => {
    expect(
      renderTemplate(
        'Dear {{customer.name}}, your complaint {{ complaint.number }} is with {{owner.name}}.',
        {
          'customer.name': 'Wang Fang',
          'complaint.number': 'C-2026-000001',
          'owner.name': null,
        },
      ),
    ).toBe('Dear Wang Fang, your complaint C-2026-000001 is with .');
  });
});

describe('service feedback groups', () => {
  test('sums per group, counts a response once per group, puts the null group last', () => {
    const groups = feedbackGroups(
      [
        { group: 'p1', severity: 'high', categoryId: 'c1', categoryName: 'Broken', count: 2 },
        { group: null, severity: 'low', categoryId: 'c1', categoryName: 'Broken', count: 1 },
      ],
      [{ group: 'p2', type: 'repair', count: 3 }],
      [
        { group: 'p1', responseId: 'r1', kind: 'nps', score: 10 },
        { group: 'p1', responseId: 'r1', kind: 'nps', score: 10 },
        { group: 'p1', responseId: 'r2', kind: 'nps', score: 5 },
        { group: 'p1', responseId: 'r3', kind: 'csat', score: 3 },
      ],
    );
    expect(groups.map((g) => g.key)).toEqual(['p1', 'p2', null]);
    expect(groups[0]!.complaints.bySeverity).toEqual({ low: 0, medium: 0, high: 2, critical: 0 });
    expect(groups[0]!.surveys).toEqual({
      responses: 3,
      csatResponses: 1,
      averageCsat: 3,
      npsResponses: 2,
      nps: 0,
    });
    expect(groups[1]!.serviceRecords.byType.repair).toBe(3);
  });
});
