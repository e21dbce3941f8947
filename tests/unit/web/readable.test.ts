/** Complaints by their number, or by the short id prefix before numbers; other business keys as written (web/src/core/readable.ts). */
import { complaintNumber, numberOf, readableKey } from '../../../web/src/core/readable';

describe('readable keys', () => {
  const id = 'cmp-0b8f3c1e-2d4a-4c6b-8e9f-0123456789ab';

  it('shows a complaint by the number it got at intake', () => {
    expect(complaintNumber(id, 'C-000123')).toBe('C-000123');
    expect(readableKey(id, 'C-000123')).toBe('C-000123');
    expect(numberOf({ complaintId: id, complaintNumber: 'C-000123' })).toBe('C-000123');
  });

  it('falls back to the short id prefix for a complaint filed before numbers, and leaves other business keys alone', () => {
    expect(complaintNumber(id)).toBe('#0B8F3C1E');
    expect(complaintNumber(id, null)).toBe('#0B8F3C1E');
    expect(readableKey(id)).toBe('#0B8F3C1E');
    expect(readableKey(id, numberOf({ complaintId: id }))).toBe('#0B8F3C1E');
    expect(numberOf(undefined)).toBeNull();
    expect(readableKey('C-OPS-2')).toBe('C-OPS-2');
    expect(readableKey('C-OPS-2', 'C-000123')).toBe('C-OPS-2');
    expect(readableKey('cmp-not-a-uuid')).toBe('cmp-not-a-uuid');
  });
});
