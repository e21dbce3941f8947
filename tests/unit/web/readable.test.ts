/** Complaints by their short number, other business keys as written (web/src/core/readable.ts). */
import { complaintNumber, readableKey } from '../../../web/src/core/readable';

describe('readable keys', () => {
  it('shows a complaint id as its short number and leaves other business keys alone', () => {
    const id = 'cmp-0b8f3c1e-2d4a-4c6b-8e9f-0123456789ab';
    expect(complaintNumber(id)).toBe('0B8F3C1E');
    expect(readableKey(id)).toBe('#0B8F3C1E');
    expect(readableKey('C-OPS-2')).toBe('C-OPS-2');
    expect(readableKey('cmp-not-a-uuid')).toBe('cmp-not-a-uuid');
  });
});
