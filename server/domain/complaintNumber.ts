/**
 * The complaint number's text (decision 0050 addendum): `C-000123`, at least six digits. Shared
 * by the complaints domain, which assigns numbers (complaints/numbers.ts), and the work-order
 * search, which finds a complaint's tasks by one.
 */

/** `C-000123`: at least six digits, more when the sequence passes 999 999. */
export const formatComplaintNumber = (n: number): string => `C-${String(n).padStart(6, '0')}`;

/** The sequence number of a text that names a complaint number (`C-000123`, `c-123`, `C000123`), else null. */
export function parseComplaintNumber(text: string): number | null {
  const m = /^c-?0*(\d{1,12})$/i.exec(text.trim());
  return m ? Number(m[1]) : null;
}
