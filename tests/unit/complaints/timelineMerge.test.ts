import { mergeTimeline, type AppendedEntry } from '../../../server/complaints/timeline';
import type { TimelineEntry } from '../../../server/complaints/model';

const at = (s: number) => new Date(Date.UTC(2026, 11, 5, 12, 0, s));
const embedded = (id: string, s: number): TimelineEntry => ({ id, who: 'process', what: id, when: at(s) });
const appended = (id: string, s: number, name?: string): AppendedEntry => ({ _id: `cmp-1:${id}`, complaintId: 'cmp-1', id, who: 'staff:u1', ...(name ? { name } : {}), what: id, when: at(s) });

describe('a complaint timeline: the entries it holds and those appended beside it', () => {
  it('merges the appended entries by time into the embedded ones, which keep their written order', () => {
    // given embedded entries written in this order (two of them in the same millisecond) and appended ones out of order
    const held = [embedded('filed', 0), embedded('z-classified', 2), embedded('a-recorded', 2), embedded('closed', 9)];
    const beside = [appended('done-b', 5), appended('cmt-1', 1), appended('done-a', 5), appended('trf-1', 2)];

    // when
    const ids = mergeTimeline(held, beside).map((e) => e.id);

    // then by time, then id; the embedded ones of one millisecond as written
    expect(ids).toEqual(['filed', 'cmt-1', 'trf-1', 'z-classified', 'a-recorded', 'done-a', 'done-b', 'closed']);
  });

  it('reads a complaint without appended entries as it is stored', () => {
    const held = [embedded('b', 3), embedded('a', 1)];
    expect(mergeTimeline(held, [])).toEqual(held);
  });

  it('counts an id found in both places once (the embedded entry) and keeps a name only where there is one', () => {
    const merged = mergeTimeline([embedded('done-x', 1)], [appended('done-x', 4, 'Ann'), appended('cmt-2', 5, 'Ann'), appended('cmt-3', 6)]);
    expect(merged).toEqual([
      embedded('done-x', 1),
      { id: 'cmt-2', who: 'staff:u1', name: 'Ann', what: 'cmt-2', when: at(5) },
      { id: 'cmt-3', who: 'staff:u1', what: 'cmt-3', when: at(6) },
    ]);
  });
});
