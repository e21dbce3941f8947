/** The inbox's and the customer pages' judgements, without a browser: filters, urgency, wording. */
import { choiceAwaited, choiceProblem, chosenEngineer, friendlyEntry, reasonText, stepIndex, type CustomerComplaint } from '../../../web/src/pages/customer/model';
import type { Me, Task } from '../../../web/src/pages/inbox/model';
import { safeFilename } from '../../../web/src/pages/inbox/photo';
import { applyFilter, byUrgency } from '../../../web/src/pages/inbox/taskList';

const NOW = Date.parse('2030-01-10T12:00:00Z');
const task = (id: string, over: Partial<Task> = {}): Task => ({
  id, instanceId: 'pi-1', elementId: 'T', name: id, state: 'open', assignee: null, candidateGroups: ['after-sales'],
  formKey: null, dueAt: null, createdAt: '2030-01-10T08:00:00Z', ...over,
});
const me: Me = { id: 'u-1', email: 'a@x', name: 'A', roles: ['agent'], groups: ['after-sales'], departments: [], staffId: 'S-1' };

describe('inbox filters', () => {
  const tasks = [
    task('claimed-by-staff-id', { state: 'claimed', assignee: 'S-1', candidateGroups: ['technical'] }),
    task('claimed-by-user-id', { state: 'claimed', assignee: 'u-1', candidateGroups: ['technical'] }),
    task('colleague', { state: 'claimed', assignee: 'S-2' }),
    task('overdue', { dueAt: '2030-01-10T11:59:00Z' }),
    task('offered', { candidateGroups: [], candidateUsers: ['S-1'] }),
    task('breached', { sla: { state: 'breached' } }),
  ];
  const ids = (list: Task[]) => list.map((t) => t.id);

  it('mine: assigned to my user id or my staff id', () => {
    expect(ids(applyFilter(tasks, { filter: 'mine', sla: '' }, me, NOW))).toEqual(['claimed-by-staff-id', 'claimed-by-user-id']);
  });

  it('my groups: a candidate group of mine', () => {
    expect(ids(applyFilter(tasks, { filter: 'groups', sla: '' }, me, NOW))).toEqual(['colleague', 'overdue', 'breached']);
  });

  it('overdue: due before now', () => {
    expect(ids(applyFilter(tasks, { filter: 'overdue', sla: '' }, me, NOW))).toEqual(['overdue']);
  });

  it('SLA state: only tasks carrying that state', () => {
    expect(ids(applyFilter(tasks, { filter: 'all', sla: 'breached' }, me, NOW))).toEqual(['breached']);
    expect(applyFilter(tasks, { filter: 'all', sla: '' }, me, NOW)).toHaveLength(tasks.length);
  });

  it('puts the earliest due first, then the oldest', () => {
    const list = [
      task('no-due-new', { createdAt: '2030-01-10T09:00:00Z' }),
      task('due-later', { dueAt: '2030-01-12T00:00:00Z' }),
      task('no-due-old', { createdAt: '2030-01-09T09:00:00Z' }),
      task('due-soon', { dueAt: '2030-01-10T13:00:00Z' }),
    ];
    expect(ids(list.sort(byUrgency))).toEqual(['due-soon', 'due-later', 'no-due-old', 'no-due-new']);
  });
});

describe("customer's view", () => {
  it('words the timeline for customers and hides what is internal', () => {
    expect(friendlyEntry('complaint received via web')).toEqual({ key: 'customer.event.received', vars: { channel: 'web' } });
    expect(friendlyEntry('evaluated with 4 star(s)')).toEqual({ key: 'customer.event.rated', vars: { stars: '4' } });
    expect(friendlyEntry('engineer chosen by the customer')).toEqual({ key: 'customer.event.chosen' });
    expect(friendlyEntry('commitment made: gift')).toEqual({ key: 'customer.event.promised', vars: { kind: 'gift' } });
    expect(friendlyEntry("commented on 'Dispatch'")).toBeNull();
    expect(friendlyEntry("transferred 'Dispatch' to group technical: busy")).toBeNull();
    expect(friendlyEntry('first response SLA warning')).toBeNull();
  });

  it('shows the engineer choice only while the offer waits and has engineers', () => {
    const offered = [
      { staffId: 'S-1', name: 'Li', distanceKm: 2.1, reasons: ['2 km away'] },
      { staffId: 'S-2', name: 'Wang', distanceKm: null, reasons: ['knows the product'] },
    ];
    const offer = { state: 'waiting' as const, offered, offeredAt: '2026-01-01T00:00:00Z', chosenStaffId: null, decidedAt: null };
    const base = { status: 'in_progress', timeline: [], attachments: [], evaluations: [] } as unknown as CustomerComplaint;
    expect(choiceAwaited({ ...base, engineerChoice: offer })).toBe(true);
    expect(choiceAwaited(base)).toBe(false);
    expect(choiceAwaited({ ...base, engineerChoice: null })).toBe(false);
    expect(choiceAwaited({ ...base, engineerChoice: { ...offer, offered: [] } })).toBe(false);
    expect(choiceAwaited({ ...base, engineerChoice: { ...offer, state: 'chosen', chosenStaffId: 'S-2' } })).toBe(false);
    expect(choiceAwaited({ ...base, engineerChoice: { ...offer, state: 'timed_out' } })).toBe(false);
    // and once chosen the page names the one picked, not the first offered
    expect(chosenEngineer({ ...base, engineerChoice: { ...offer, state: 'chosen', chosenStaffId: 'S-2' } })?.name).toBe('Wang');
    expect(chosenEngineer({ ...base, engineerChoice: offer })).toBeNull();
    expect(chosenEngineer({ ...base, engineerChoice: { ...offer, state: 'timed_out' } })).toBeNull();
  });

  it('says why a choice was refused: taken already or not one offered', () => {
    expect(choiceProblem(409, 'not_awaiting_engineer_choice')).toBe('customer.choice.notWaiting');
    expect(choiceProblem(422, 'engineer_not_offered')).toBe('customer.choice.notOffered');
    expect(choiceProblem(500, 'internal')).toBeNull();
  });

  it('puts the dispatch reasons in the customer\'s words, keeping unknown ones as said', () => {
    expect(reasonText('3.2 km away')).toEqual({ key: 'customer.reason.distance', vars: { km: '3.2' } });
    expect(reasonText('satisfaction 4.8')).toEqual({ key: 'customer.reason.satisfaction', vars: { rate: '4.8' } });
    expect(reasonText('load 2/5')).toEqual({ key: 'customer.reason.load', vars: { load: '2' } });
    expect(reasonText('not rated yet')).toEqual({ key: 'customer.reason.unrated', vars: {} });
    expect(reasonText('on call tonight')).toEqual({ text: 'on call tonight' });
  });

  it('counts a reopened complaint as being handled again', () => {
    expect(stepIndex('reopened')).toBe(stepIndex('in_progress'));
    expect(stepIndex('closed')).toBe(3);
  });

  it('makes a camera file name acceptable to the attachments route', () => {
    expect(safeFilename('IMG_2030 01 10.jpg')).toBe('IMG_2030 01 10.jpg');
    expect(safeFilename('照片.jpg')).toBe('photo__.jpg');
    expect(safeFilename('../..')).toBe('photo.jpg');
    expect(safeFilename('.hidden.png')).toBe('photo.hidden.png');
    expect(safeFilename('')).toBe('photo.jpg');
  });
});
