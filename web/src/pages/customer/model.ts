/** The customer's view of a complaint: what GET /api/complaints/{id} gives, in the customer's words. */
export interface Recommendation { staffId: string; name: string; reasons: string[]; distanceKm?: number; satisfaction?: number }

export interface CustomerComplaint {
  id: string;
  status: 'open' | 'in_progress' | 'awaiting_evaluation' | 'closed' | 'reopened';
  title: string;
  product: string;
  description: string;
  createdAt: string;
  engineer: string | null;
  timeline: Array<{ who: string; what: string; when: string }>;
  evaluations: Array<{ stars: number; tags: string[]; comment: string | null; at: string }>;
  attachments: Array<{ id: string; filename: string }>;
  /** Engineer choice (another branch): the three recommended engineers while the customer's choice is awaited. */
  recommendations?: Recommendation[];
  engineerChoice?: { awaited?: boolean; staffId?: string | null } | null;
  awaitingEngineerChoice?: boolean;
}

/** Whether the complaint waits for the customer to pick an engineer (the flag's announced names). */
export function choiceAwaited(c: CustomerComplaint): boolean {
  if (!c.recommendations?.length) return false;
  return c.awaitingEngineerChoice === true || c.engineerChoice?.awaited === true;
}

/** The steps a customer sees; reopened counts as being handled again. */
export const STEPS = ['open', 'in_progress', 'awaiting_evaluation', 'closed'] as const;
export function stepIndex(status: CustomerComplaint['status']): number {
  return status === 'reopened' ? 1 : STEPS.indexOf(status);
}

/**
 * A timeline entry in the customer's words, or null for what is internal (comments between
 * staff, transfers, SLA warnings). Message keys with the values they need.
 */
export function friendlyEntry(what: string): { key: string; vars?: Record<string, string> } | null {
  const rules: Array<[RegExp, (m: RegExpExecArray) => { key: string; vars?: Record<string, string> }]> = [
    [/^complaint received via (\S+)/, (m) => ({ key: 'customer.event.received', vars: { channel: m[1] ?? '' } })],
    [/^classified as/, () => ({ key: 'customer.event.classified' })],
    [/^dispatched/, () => ({ key: 'customer.event.dispatched' })],
    [/^engineer chosen/, () => ({ key: 'customer.event.dispatched' })],
    [/^attachment added/, () => ({ key: 'customer.event.photo' })],
    [/^commitment made: (\S+)/, (m) => ({ key: 'customer.event.promised', vars: { kind: m[1] ?? '' } })],
    [/^commitment fulfilled: (\S+)/, (m) => ({ key: 'customer.event.promiseKept', vars: { kind: m[1] ?? '' } })],
    [/^compensation auto-approved/, () => ({ key: 'customer.event.compensation' })],
    [/^customer notified of the resolution/, () => ({ key: 'customer.event.resolved' })],
    [/^evaluated with (\d)/, (m) => ({ key: 'customer.event.rated', vars: { stars: m[1] ?? '' } })],
    [/^reopen requested/, () => ({ key: 'customer.event.reopenRequested' })],
    [/^reopened/, () => ({ key: 'customer.event.reopened' })],
    [/^no evaluation within/, () => ({ key: 'customer.event.autoClosed' })],
    [/^closed/, () => ({ key: 'customer.event.closed' })],
  ];
  for (const [pattern, make] of rules) {
    const m = pattern.exec(what);
    if (m) return make(m);
  }
  return null;
}
