/**
 * What compliance searches by, one document per complaint (collection `compliance_search`,
 * written by the sealer whenever the record changes): customer, engineer, departments,
 * status, category, severity, the month it was filed, the people who acted on it, its
 * instances and their processes, and the words of its text. Every search is equality on indexed top-level fields, which FerretDB
 * pushes down to PostgreSQL's containment indexes (decision 0013); a period becomes one
 * equality query per month. Pages are bounded.
 */
import { Schema, type Connection, type Model } from 'mongoose';

export interface SearchDoc {
  _id: string;
  customerId: string;
  customerName: string | null;
  engineer: string | null;
  departments: string[];
  status: string;
  category: string | null;
  severity: string | null;
  /** `YYYY-MM` of createdAt (UTC). */
  month: string;
  people: string[];
  instanceIds: string[];
  /** Keys of the processes that served it (its own and its commitments'). */
  processes: string[];
  words: string[];
  title: string;
  createdAt: Date;
}

const schema = new Schema<SearchDoc>({
  _id: String,
  customerId: { type: String, index: true },
  customerName: String,
  engineer: { type: String, index: true },
  departments: { type: [String], index: true },
  status: { type: String, index: true },
  category: { type: String, index: true },
  severity: { type: String, index: true },
  month: { type: String, index: true },
  people: { type: [String], index: true },
  instanceIds: { type: [String], index: true },
  processes: { type: [String], index: true },
  words: { type: [String], index: true },
  title: String,
  createdAt: Date,
}, { versionKey: false });

export const searchModel = (connection: Connection): Model<SearchDoc> =>
  (connection.models.ComplianceSearch as Model<SearchDoc> | undefined) ?? connection.model<SearchDoc>('ComplianceSearch', schema, 'compliance_search');

const MAX_WORDS = 400;

/** Lower-case words of two or more letters; Chinese, Japanese and Korean text as single characters and pairs. */
export function words(...texts: Array<string | null | undefined>): string[] {
  const out = new Set<string>();
  for (const text of texts) {
    for (const token of (text ?? '').toLowerCase().normalize('NFKC').split(/[^\p{L}\p{N}]+/u)) {
      if (!token) continue;
      const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(token);
      if (cjk) {
        const chars = [...token];
        chars.forEach((c, i) => { out.add(c); if (chars[i + 1]) out.add(c + chars[i + 1]); });
      } else if (token.length >= 2) out.add(token);
      if (out.size >= MAX_WORDS) return [...out];
    }
  }
  return [...out];
}

export const monthOf = (d: Date) => d.toISOString().slice(0, 7);

/** The months from `from` to `to` inclusive, `YYYY-MM`; undefined when there are more than `max`. */
export function monthsBetween(from: Date, to: Date, max: number): string[] | undefined {
  const months: string[] = [];
  let y = from.getUTCFullYear();
  let m = from.getUTCMonth();
  while (y < to.getUTCFullYear() || (y === to.getUTCFullYear() && m <= to.getUTCMonth())) {
    months.push(`${y}-${String(m + 1).padStart(2, '0')}`);
    if (months.length > max) return undefined;
    m += 1;
    if (m === 12) { m = 0; y += 1; }
  }
  return months;
}
