/**
 * The status flow of a service record (docs/service.md): open -> in_progress -> waiting ->
 * resolved -> closed, with a reopen from resolved or closed. A pure table, so the API, the
 * batch and the documentation all answer the same question the same way.
 */
export const SERVICE_STATUSES = ['open', 'in_progress', 'waiting', 'resolved', 'closed'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

export const SERVICE_TYPES = [
  'installation',
  'repair',
  'maintenance',
  'consultation',
  'return',
  'other',
] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const SERVICE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type ServicePriority = (typeof SERVICE_PRIORITIES)[number];

/** Where each status may move to. Moving back to `open` from resolved or closed is a reopen. */
export const SERVICE_MOVES: Readonly<Record<ServiceStatus, readonly ServiceStatus[]>> = {
  open: ['in_progress', 'waiting', 'resolved'],
  in_progress: ['waiting', 'resolved'],
  waiting: ['in_progress', 'resolved'],
  resolved: ['closed', 'open'],
  closed: ['open'],
};

export function allowedServiceMoves(from: ServiceStatus): readonly ServiceStatus[] {
  return SERVICE_MOVES[from];
}

/** What a move does to the record's clock fields, besides the status. */
export interface ServiceMove {
  to: ServiceStatus;
  /** The first move out of `open` ever: the first response. A reopened record keeps its first one. */
  setsFirstResponse: boolean;
  /** Into `resolved`: the record is resolved at the move's time. */
  setsResolved: boolean;
  /** Into `closed`. */
  setsClosed: boolean;
  /** From resolved or closed back to open: resolvedAt and closedAt are cleared, reopenCount + 1. */
  reopens: boolean;
}

export type MovePlan = { ok: true; move: ServiceMove } | { ok: false; allowed: readonly ServiceStatus[] };

export function planServiceMove(from: ServiceStatus, to: ServiceStatus, hasFirstResponse: boolean): MovePlan {
  const allowed = allowedServiceMoves(from);
  if (!allowed.includes(to)) return { ok: false, allowed };
  return {
    ok: true,
    move: {
      to,
      setsFirstResponse: from === 'open' && !hasFirstResponse,
      setsResolved: to === 'resolved',
      setsClosed: to === 'closed',
      reopens: to === 'open' && (from === 'resolved' || from === 'closed'),
    },
  };
}

/** Whole minutes between two instants, null while the later one has not happened. */
export function minutesBetween(from: Date, to: Date | null): number | null {
  if (to === null) return null;
  return Math.round((to.getTime() - from.getTime()) / 60_000);
}
