/**
 * The status flow of a complaint (docs/service.md): open -> in_progress -> resolved -> closed.
 * A resolved or closed complaint may be reopened (to open or in_progress), which counts in
 * its reopenCount: how often an answer did not settle it.
 */
export const COMPLAINT_STATUSES = ['open', 'in_progress', 'resolved', 'closed'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

export const COMPLAINT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type ComplaintSeverity = (typeof COMPLAINT_SEVERITIES)[number];

export const COMPLAINT_MOVES: Readonly<Record<ComplaintStatus, readonly ComplaintStatus[]>> = {
  open: ['in_progress', 'resolved', 'closed'],
  in_progress: ['open', 'resolved', 'closed'],
  resolved: ['closed', 'open', 'in_progress'],
  closed: ['open', 'in_progress'],
};

export type ComplaintMovePlan =
  { ok: true; reopens: boolean } | { ok: false; allowed: readonly ComplaintStatus[] };

export function planComplaintMove(from: ComplaintStatus, to: ComplaintStatus): ComplaintMovePlan {
  if (from === to) return { ok: true, reopens: false };
  const allowed = COMPLAINT_MOVES[from];
  if (!allowed.includes(to)) return { ok: false, allowed };
  const settled = from === 'resolved' || from === 'closed';
  return { ok: true, reopens: settled && (to === 'open' || to === 'in_progress') };
}

/** `C-<year>-<6 digits>`: readable on the phone, unique because the sequence never repeats. */
export function complaintNumber(year: number, sequence: number): string {
  return `C-${year}-${String(sequence).padStart(6, '0')}`;
}
