/**
 * The visit: the engineer who serves the complaint proposes a time and a place (at the
 * customer's, on site, or at the outlet), the customer accepts it or asks for another time,
 * and the engineer records the visit. Kept on the complaint, beside the process: the
 * lifecycle's tasks do not wait for it (decision 0045).
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { AuthUser } from '../auth/context';
import { Conflict, Forbidden, NotFound } from '../domain/errors';
import type { Appointment, ComplaintRecord } from './model';
import type { AppointmentAnswerBody, AppointmentBody, VisitBody } from './schemas';
import type { ComplaintStore } from './store';

/** Who may act for the engineer: the engineer themselves, or those who run the work. */
const OVERSEERS = ['supervisor', 'department_head', 'admin'];

const notFound = (id: string) => new NotFound('complaint_not_found', `No complaint '${id}'`);
const wrongState = (code: string, message: string) => new Conflict(code, message);

function asEngineer(c: ComplaintRecord, user: AuthUser) {
  if (c.status === 'closed') throw wrongState('complaint_closed', `Complaint '${c._id}' is closed`);
  if (!c.engineer) throw wrongState('no_engineer', `Nobody has been dispatched to complaint '${c._id}' yet`);
  if (user.staffId !== c.engineer && user.id !== c.engineer && !user.roles.some((r) => OVERSEERS.includes(r))) {
    throw new Forbidden('not_the_engineer', 'Only the engineer who serves this complaint (or a supervisor) arranges its visit');
  }
}

/** What the API shows: no staff ids (the customer sees it too). */
export const toAppointmentView = (a: Appointment | null | undefined) => (a ? {
  state: a.state, at: new Date(a.at).toISOString(), place: a.place,
  answer: a.answer ? { accepted: a.answer.accepted, preferred: a.answer.preferred ? new Date(a.answer.preferred).toISOString() : null, note: a.answer.note, at: new Date(a.answer.at).toISOString() } : null,
  visit: a.visit ? { at: new Date(a.visit.at).toISOString(), place: a.visit.place, note: a.visit.note } : null,
} : null);

export function createAppointments(store: ComplaintStore) {
  async function load(id: string) {
    const c = await store.get(id);
    if (!c) throw notFound(id);
    return c;
  }
  const write = async (id: string, appointment: Appointment, who: string, what: string) => {
    await store.mutate(id, () => ({ set: { appointment }, entry: { id: `visit-${randomUUID()}`, who, what } }));
    return toAppointmentView(appointment);
  };

  return {
    async propose(id: string, body: z.output<typeof AppointmentBody>, user: AuthUser) {
      const c = await load(id);
      asEngineer(c, user);
      if (c.appointment?.state === 'visited') throw wrongState('already_visited', 'The visit has been recorded already');
      const appointment: Appointment = { state: 'proposed', at: new Date(body.at), place: body.place, answer: null, visit: null };
      return write(id, appointment, `staff:${user.id}`, `visit proposed: ${appointment.at.toISOString()}, ${body.place}`);
    },

    async answer(id: string, body: z.output<typeof AppointmentAnswerBody>, who: string) {
      const c = await load(id);
      if (c.appointment?.state !== 'proposed') throw wrongState('no_visit_proposed', 'No visit time waits for an answer');
      const answer = { accepted: body.accept, preferred: body.preferred ? new Date(body.preferred) : null, note: body.note ?? null, at: new Date() };
      const appointment: Appointment = { ...c.appointment, state: body.accept ? 'accepted' : 'declined', answer };
      return write(id, appointment, who, body.accept ? 'visit accepted' : `visit: another time asked${answer.preferred ? ` (${answer.preferred.toISOString()})` : ''}`);
    },

    async recordVisit(id: string, body: z.output<typeof VisitBody>, user: AuthUser) {
      const c = await load(id);
      asEngineer(c, user);
      if (c.appointment?.state !== 'accepted') throw wrongState('visit_not_accepted', 'Only an accepted visit can be recorded');
      const appointment: Appointment = { ...c.appointment, state: 'visited', visit: { at: new Date(), place: body.place, note: body.note ?? null } };
      return write(id, appointment, `staff:${user.id}`, `visit recorded: ${body.place}`);
    },
  };
}

export type Appointments = ReturnType<typeof createAppointments>;
