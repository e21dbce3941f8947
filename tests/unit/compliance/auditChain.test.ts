/** The audit chain's hashing and verification, on entries built in memory. */
import { entryHash, entryId, fieldHashesOf, genesis, verifyEntries, type AuditEntry } from '../../../server/compliance/auditChain';
import { canonicalJson } from '../../../server/compliance/canonical';
import { monthsBetween, words } from '../../../server/compliance/searchIndex';

const ID = 'cmp-00000000-0000-4000-8000-000000000001';

function chain(n: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prev = genesis(ID);
  for (let seq = 0; seq < n; seq += 1) {
    const data = { who: `staff:u${seq}`, what: `step ${seq}`, when: new Date(Date.UTC(2026, 0, 1, seq)) };
    const body = { complaintId: ID, seq, key: `timeline:${seq}`, kind: 'timeline', at: data.when, data, prev };
    const hash = entryHash(body);
    entries.push({ _id: entryId(ID, seq), ...body, fieldHashes: fieldHashesOf(data), hash, sealedAt: new Date() });
    prev = hash;
  }
  return entries;
}

describe('audit chain verification', () => {
  it('accepts a whole chain', () => {
    expect(verifyEntries(ID, chain(5))).toBeNull();
  });

  it('names the entry and field of a changed fact', () => {
    const entries = chain(5);
    entries[2]!.data = { ...entries[2]!.data, what: 'something else' };
    expect(verifyEntries(ID, entries)).toMatchObject({ seq: 2, entryId: entryId(ID, 2), field: 'data.what' });
  });

  it('names a re-hashed entry by the link of the one after it', () => {
    const entries = chain(5);
    const e = entries[1]!;
    e.data = { ...e.data, who: 'staff:intruder' };
    e.fieldHashes = fieldHashesOf(e.data);
    e.hash = entryHash(e);
    expect(verifyEntries(ID, entries)).toMatchObject({ seq: 2, field: 'prev' });
  });

  it('names a removed entry', () => {
    const entries = chain(5);
    entries.splice(3, 1);
    expect(verifyEntries(ID, entries)).toMatchObject({ seq: 4, field: 'seq' });
  });

  it('names a changed time or kind when no field of the data changed', () => {
    const entries = chain(3);
    entries[1]!.at = new Date(0);
    expect(verifyEntries(ID, entries)).toMatchObject({ seq: 1, field: 'key, kind or at' });
  });
});

describe('canonical JSON', () => {
  it('is the same whatever the order of keys, with dates as ISO strings and undefined left out', () => {
    expect(canonicalJson({ b: 1, a: { d: new Date(0), c: [1, undefined] }, e: undefined }))
      .toBe('{"a":{"c":[1,null],"d":"1970-01-01T00:00:00.000Z"},"b":1}');
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });
});

describe('search words and periods', () => {
  it('splits text into lower-case words, Chinese into characters and pairs', () => {
    expect(words('Kettle stopped HEATING, a k2')).toEqual(['kettle', 'stopped', 'heating', 'k2']);
    expect(words('水壶漏水')).toEqual(['水', '水壶', '壶', '壶漏', '漏', '漏水']);
  });

  it('lists the months of a period, and refuses one that is too long', () => {
    expect(monthsBetween(new Date('2025-11-20T00:00:00Z'), new Date('2026-02-01T00:00:00Z'), 12)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween(new Date('2020-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'), 12)).toBeUndefined();
  });
});
