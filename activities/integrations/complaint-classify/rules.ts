/**
 * The classification rule table of `complaint.classify`. The first row whose pattern matches
 * the complaint's title, description or product wins; the last row catches everything.
 * Then the customer tier raises the severity (see TIER_BUMP). Change the table here; the
 * process does not change (docs/complaints.md).
 */
import type { Department } from '../../../processes/departments';
import type { Classification } from '../complaintsPort';

type Severity = Classification['severity'];

export interface RuleRow {
  category: string;
  pattern: RegExp;
  severity: Severity;
  departments: Department[];
}

export const RULES: readonly RuleRow[] = [
  { category: 'safety', pattern: /\b(fire|smoke|shock|injur\w*|burn\w*|danger\w*|explod\w*)\b/i, severity: 'high', departments: ['after-sales', 'technical'] },
  { category: 'defect', pattern: /\b(broken|defect\w*|faulty|not working|stopped working|crack\w*|leak\w*|noise)\b/i, severity: 'medium', departments: ['technical', 'logistics'] },
  { category: 'delivery', pattern: /\b(late|delivery|delivered|missing|never arrived|courier|parcel)\b/i, severity: 'low', departments: ['logistics', 'after-sales'] },
  { category: 'billing', pattern: /\b(charged?|refund\w*|invoice\w*|bill\w*|price|overcharg\w*|payment)\b/i, severity: 'low', departments: ['finance'] },
  { category: 'service', pattern: /[\s\S]*/, severity: 'low', departments: ['after-sales'] },
];

/** Severity steps added per customer tier; unknown tiers add nothing. */
export const TIER_BUMP: Readonly<Record<string, number>> = { standard: 0, gold: 1, platinum: 1 };

const SCALE: readonly Severity[] = ['low', 'medium', 'high'];

export function classify(text: string, customerTier: string): Classification {
  const row = RULES.find((r) => r.pattern.test(text)) ?? RULES[RULES.length - 1]!;
  const bump = Object.prototype.hasOwnProperty.call(TIER_BUMP, customerTier) ? TIER_BUMP[customerTier]! : 0;
  const severity = SCALE[Math.min(SCALE.length - 1, SCALE.indexOf(row.severity) + bump)]!;
  return { category: row.category, severity, departments: [...row.departments] };
}
