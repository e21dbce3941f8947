/** The customer's view of a complaint: what GET /api/complaints/{id} gives, in the customer's words. */
import type { Visit } from './visit';

/** One engineer the process offers the customer (EngineerOfferItem of the server). */
export interface EngineerOffer { staffId: string; name: string; score?: number; distanceKm: number | null; reasons: string[] }

/** The offer of engineers (dispatchMode "customer") and what became of it. */
export interface EngineerChoice {
  state: 'waiting' | 'chosen' | 'timed_out';
  offered: EngineerOffer[];
  offeredAt: string | null;
  chosenStaffId: string | null;
  decidedAt: string | null;
}

export interface Attachment { id: string; filename: string; contentType?: string; href?: string; takenAt?: string | null; uploadedAt?: string }

export interface CustomerComplaint {
  id: string;
  /** `C-000123`; null on complaints filed before numbers. */
  number?: string | null;
  status: 'open' | 'in_progress' | 'awaiting_evaluation' | 'closed' | 'reopened';
  title: string;
  product: string;
  description: string;
  createdAt: string;
  engineer: string | null;
  timeline: Array<{ who: string; what: string; when: string }>;
  evaluations: Array<{ stars: number; tags: string[]; comment: string | null; at: string }>;
  attachments: Attachment[];
  dispatchMode?: 'auto' | 'customer';
  /** null (or absent on an older server): no engineers were offered to the customer. */
  engineerChoice?: EngineerChoice | null;
  /** The engineer who served it (their public profile id), null before dispatch. */
  servedBy?: string | null;
  /** Whether that engineer is the customer's "my expert". */
  myExpert?: boolean;
  /** The engineer's visit. */
  appointment?: Visit | null;
  /** Who is coming and why (the dispatch's reasons a customer is told). */
  coming?: { name: string; distanceKm: number | null; reasons: string[] } | null;
}

/** Whether the complaint waits for the customer to pick one of the offered engineers. */
export function choiceAwaited(c: CustomerComplaint): boolean {
  return c.engineerChoice?.state === 'waiting' && c.engineerChoice.offered.length > 0;
}

/** The engineer the customer picked, when the offer ended with their choice. */
export function chosenEngineer(c: CustomerComplaint): EngineerOffer | null {
  const offer = c.engineerChoice;
  if (offer?.state !== 'chosen' || !offer.chosenStaffId) return null;
  return offer.offered.find((o) => o.staffId === offer.chosenStaffId) ?? null;
}

/** The message key for a refused choice: taken already (409), not one offered (422), else null. */
export function choiceProblem(status: number, code: string): string | null {
  if (status === 409 || code === 'not_awaiting_engineer_choice') return 'customer.choice.notWaiting';
  if (status === 422 || code === 'engineer_not_offered') return 'customer.choice.notOffered';
  return null;
}

/** A short fingerprint of what the page shows: a poll redraws only when it changed. */
export function fingerprint(c: CustomerComplaint): string {
  return `${c.status}:${c.timeline.length}:${c.attachments.length}:${c.engineerChoice?.state ?? '-'}:${c.evaluations.length}:${c.servedBy ?? '-'}:${c.myExpert === true ? 1 : 0}:${c.appointment?.state ?? '-'}:${c.appointment?.at ?? '-'}`;
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
    [/^engineer chosen/, () => ({ key: 'customer.event.chosen' })],
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

/**
 * A reason the dispatch gave for an offered engineer (server/domain/dispatch/rank.ts) in the
 * customer's words: a message key with its values, or the server's text when unknown.
 */
export function reasonText(reason: string): { key: string; vars: Record<string, string> } | { text: string } {
  const rules: Array<[RegExp, string, (m: RegExpExecArray) => Record<string, string>]> = [
    [/^(\d+(?:\.\d+)?) km away$/, 'customer.reason.distance', (m) => ({ km: m[1] ?? '' })],
    [/^skill: (.+)$/, 'customer.reason.skill', (m) => ({ skill: m[1] ?? '' })],
    [/^product: (.+)$/, 'customer.reason.product', (m) => ({ product: m[1] ?? '' })],
    [/^speaks (.+)$/, 'customer.reason.language', (m) => ({ language: m[1] ?? '' })],
    [/^covers (.+)$/, 'customer.reason.region', (m) => ({ region: m[1] ?? '' })],
    [/^load (\d+)\/(\d+)$/, 'customer.reason.load', (m) => ({ load: m[1] ?? '' })],
    [/^satisfaction (\d+(?:\.\d+)?)$/, 'customer.reason.satisfaction', (m) => ({ rate: m[1] ?? '' })],
    [/^not rated yet$/, 'customer.reason.unrated', () => ({})],
  ];
  for (const [pattern, key, vars] of rules) {
    const m = pattern.exec(reason);
    if (m) return { key, vars: vars(m) };
  }
  return { text: reason };
}
