/** The inbox's search as it asks the server (issue 14 item 5), and the raised-priority rule, without a browser. */
import type { Task } from '../../../web/src/pages/inbox/model';
import { isRaised } from '../../../web/src/pages/inbox/taskList';
import { clockName } from '../../../web/src/pages/inbox/slaClock';
import { searchParams, SEARCH_PAGE_SIZE } from '../../../web/src/pages/inbox/workOrderSearch';

const task = (over: Partial<Task> = {}): Task => ({
  id: 'pi-1.1', instanceId: 'pi-1', elementId: 'T', name: 'T', state: 'open', assignee: null, candidateGroups: ['after-sales'],
  formKey: null, dueAt: null, createdAt: '2030-01-10T08:00:00Z', ...over,
});

describe('work order search', () => {
  it('asks for open and claimed by default, newest first, a page of 20, and nothing it was not given', () => {
    expect(searchParams({ q: '  ', status: 'active', department: '', from: '', to: '' }, 1))
      .toEqual({ state: 'open,claimed', sort: '-createdAt', page: 1, pageSize: SEARCH_PAGE_SIZE });
  });

  it('sends the text trimmed, one state, the department, and the days typed as the instants of their start and end here', () => {
    expect(searchParams({ q: ' 0b8f3c1e ', status: 'completed', department: 'finance', from: '2026-12-01', to: '2026-12-05' }, 3)).toEqual({
      state: 'completed', sort: '-createdAt', page: 3, pageSize: 20, q: '0b8f3c1e', department: 'finance',
      createdFrom: new Date(2026, 11, 1, 0, 0, 0, 0).toISOString(), createdTo: new Date(2026, 11, 5, 23, 59, 59, 999).toISOString(),
    });
  });
});

describe('raised priority and the named clock', () => {
  it('counts a priority above the default 50 as raised, and none or 50 as not', () => {
    expect([isRaised(task()), isRaised(task({ priority: 50 })), isRaised(task({ priority: 75 }))]).toEqual([false, false, true]);
  });

  it("names the task's clock by its policy's name from the complaint, else by the policy id of its key", () => {
    const measured = task({ sla: { state: 'at_risk', clockKey: 'first-response' } });
    const detail = { slaClocks: [{ clockKey: 'resolution', instanceId: 'pi-1', policyName: 'Resolution' }, { clockKey: 'first-response', instanceId: 'pi-1', policyName: 'First response' }] };
    expect(clockName(measured, detail as never)).toBe('First response');
    expect(clockName(task({ sla: { state: 'ok', clockKey: 'fast-answer:Answer:2' } }), null)).toBe('fast-answer');
    expect(clockName(task(), null)).toBeNull();
  });
});
