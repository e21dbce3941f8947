/**
 * What a customer (signed in, or through a signed customer link) sees of their complaint: the
 * customer-facing timeline only (their own entries and the process milestones below, with
 * `who` as 'customer' or 'service'), no tasks, staff comments, staff ids, groups, departments
 * or SLA clocks. Staff get the full detail. docs/security.md, "Authorization rules".
 */
import type { createComplaintsService } from './service';

type Detail = Awaited<ReturnType<ReturnType<typeof createComplaintsService>['detail']>>;

/** Process milestones a customer is told about (the customer page words each of them). */
const CUSTOMER_FACING: readonly RegExp[] = [
  /^complaint received via /, /^classified as /, /^dispatched$/, /^engineer chosen/, /^attachment added/,
  /^commitment made: /, /^commitment fulfilled: /, /^compensation auto-approved$/, /^customer notified of the resolution/,
  /^resolved: awaiting the customer's evaluation$/, /^reopened$/, /^no evaluation within /, /^closed$/,
];

/** What staff do that the customer is told of all the same (without who did it). */
const STAFF_DONE_FOR_CUSTOMER: readonly RegExp[] = [/^commitment made: /, /^attachment added/];

export function isCustomerFacing(entry: { who: string; what: string }): boolean {
  // Everything else staff wrote (comments, transfers, their reopen reasons, completion notes) stays internal.
  if (entry.who.startsWith('staff:')) return STAFF_DONE_FOR_CUSTOMER.some((p) => p.test(entry.what));
  if (entry.who.startsWith('customer:')) return true;
  return CUSTOMER_FACING.some((p) => p.test(entry.what));
}

/** Reasons a customer is told: not the engineer's load or ratings, which are staff matters. */
const FOR_CUSTOMERS = (reason: string) => !/^load |^satisfaction |^not rated yet$/.test(reason);

/** Who is coming: the engineer the complaint is dispatched to, by name, with why they were chosen. */
function coming(detail: Detail) {
  const chosen = detail.dispatch?.recommended.find((r) => r.staffId === detail.engineer);
  return chosen ? { name: chosen.name, distanceKm: chosen.distanceKm, reasons: chosen.reasons.filter(FOR_CUSTOMERS) } : null;
}

export function customerView(detail: Detail) {
  // The dispatch's recommendations (staff ids, load, ratings) stay out; `coming` says what a customer is told.
  const { dispatch: _dispatch, ...shown } = detail;
  return {
    ...shown,
    coming: coming(detail),
    engineer: null,
    // The engineer's public profile id, filled in by the route when the directory has them (decision 0045).
    servedBy: null as string | null,
    departments: [],
    departmentWork: [],
    timeline: detail.timeline.filter(isCustomerFacing).map((e) => ({ what: e.what, when: e.when, who: e.who.startsWith('customer:') ? 'customer' : 'service' })),
    tasks: [],
    slaClocks: [],
    evaluations: detail.evaluations.map((e) => ({ ...e, engineerId: null })),
    commitments: detail.commitments.map((m) => ({ ...m, ownerDepartment: null, instanceId: null, by: null, byName: null })),
    // Staff ids and names stay internal; the customer sees the evidence itself.
    attachments: detail.attachments.map((a) => ({ ...a, by: null, byName: null })),
  };
}
