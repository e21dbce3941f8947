import { classify, RULES } from '../../../activities/integrations/complaint-classify/rules';

describe('the complaint classification rule table', () => {
  it('takes the first matching row and its departments', () => {
    // when a complaint mentions both a defect and a refund
    const result = classify('The kettle is broken and I want a refund', 'standard');
    // then the earlier row (defect) wins
    expect(result).toEqual({ category: 'defect', severity: 'medium', departments: ['technical', 'logistics'] });
  });

  it('raises the severity one step for gold and platinum customers, never past high', () => {
    expect(classify('invoice is wrong', 'gold').severity).toBe('medium');
    expect(classify('smoke came out of the charger', 'platinum').severity).toBe('high');
    expect(classify('invoice is wrong', 'unknown-tier').severity).toBe('low');
  });

  it('falls back to a general service complaint', () => {
    expect(classify('the staff were rude', 'standard')).toEqual({ category: 'service', severity: 'low', departments: ['after-sales'] });
    expect(RULES[RULES.length - 1]!.pattern.test('')).toBe(true);
  });
});
