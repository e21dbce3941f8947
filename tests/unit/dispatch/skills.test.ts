import { productSkills, skillsFor } from '../../../processes/skills';
import { rankStaff, type CandidateStaff } from '../../../server/domain/dispatch/rank';

const staff = (id: string, skills: string[]): CandidateStaff => ({
  id, name: id, roles: ['engineer'], skills, products: [], regions: [], languages: [], home: null, currentLoad: 0, maxLoad: 5, onDuty: true, satisfaction: { rate: 0, count: 0 },
});

describe('the skills a complaint needs (processes/skills.ts)', () => {
  it.each([
    ['Fridge F3', 'defect', ['refrigeration', 'defect']],
    ['Washer W1', 'defect', ['washing-machines', 'defect']],
    ['Dishwasher D5', 'service', ['washing-machines', 'installation', 'service']],
    ['TV 55 inch', 'safety', ['electrical', 'safety']],
    ['Air conditioner A2', 'defect', ['air-conditioning', 'defect']],
    ['Fridge F3', 'billing', ['billing']],
    ['Fridge F3', 'delivery', ['delivery']],
    ['Smartwatch S1', 'defect', ['defect']],
    ['Fridge F3', 'a-new-category', ['refrigeration', 'a-new-category']],
  ])('%s with category %s needs %j', (product, category, skills) => {
    expect(skillsFor(product, category)).toEqual(skills);
  });

  it('matches a product keyword as a word, not inside another word', () => {
    expect(productSkills('Stove')).toEqual([]);
    expect(productSkills('Tvisted lamp')).toEqual([]);
    expect(productSkills('fridge-freezer combo')).toEqual(['refrigeration']);
  });
});

describe('ranking with the skills list', () => {
  it('gives the skill points to whoever has any of the skills, naming the one that matched', () => {
    // given a fridge defect and three engineers, one with the trade, one named by category, one with neither
    const ranked = rankStaff({ onSite: false, skills: skillsFor('Fridge F3', 'defect') },
      [staff('s-none', ['billing']), staff('s-fridge', ['refrigeration']), staff('s-category', ['defect'])], []);
    // then both skilled ones come first, with the reason, and the unskilled one gets no skill reason
    expect(ranked.map((r) => r.staffId)).toEqual(['s-category', 's-fridge', 's-none']);
    expect(ranked.find((r) => r.staffId === 's-fridge')!.reasons).toContain('skill: refrigeration');
    expect(ranked.find((r) => r.staffId === 's-none')!.reasons.some((r) => r.startsWith('skill:'))).toBe(false);
  });
});

describe('ranking by product', () => {
  it('counts a product named as a word of the model name, not inside another word', () => {
    const withProducts = (id: string, products: string[]): CandidateStaff => ({ ...staff(id, []), products });
    const ranked = rankStaff({ onSite: false, product: 'Fridge F3' },
      [withProducts('s-fridge', ['fridge']), withProducts('s-exact', ['Fridge F3']), withProducts('s-other', ['fridgeline'])], []);
    expect(ranked.filter((r) => r.reasons.includes('product: Fridge F3')).map((r) => r.staffId).sort()).toEqual(['s-exact', 's-fridge']);
  });
});
