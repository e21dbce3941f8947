import { rankStaff, WEIGHTS } from '../../../server/domain/dispatch/rank';
import { engineer, orderBy, remote } from './staffTable';

const ids = (ranked: Array<{ staffId: string }>) => ranked.map((r) => r.staffId);

describe('ranking by match', () => {
  it('prefers the skill the complaint needs, and follows it when the skill changes', () => {
    // given one refrigeration and one washing-machine engineer
    const staff = [engineer('a', { skills: ['washing-machines'] }), engineer('b', { skills: ['refrigeration'] })];
    const hasSkill = (skill: string) => (s: (typeof staff)[number]) => (s.skills.includes(skill) ? 0 : 1);
    // when / then
    expect(ids(rankStaff(remote({ skill: 'refrigeration' }), staff))).toEqual(orderBy(staff, hasSkill('refrigeration')));
    expect(ids(rankStaff(remote({ skill: 'washing-machines' }), staff))).toEqual(orderBy(staff, hasSkill('washing-machines')));
    expect(rankStaff(remote({ skill: 'refrigeration' }), staff)[0]?.reasons).toContain('skill: refrigeration');
  });

  it('prefers the product the complaint is about', () => {
    // given
    const staff = [engineer('a', { products: ['fridge'] }), engineer('b', { products: ['oven'] })];
    // when
    const ranked = rankStaff(remote({ product: 'oven' }), staff);
    // then
    expect(ids(ranked)).toEqual(['b', 'a']);
    expect(ranked[0]?.score).toBeCloseTo((ranked[1]?.score ?? 0) + WEIGHTS.product, 2);
    expect(ranked[0]?.reasons).toContain('product: oven');
  });

  it('prefers someone who speaks the customer\'s language or dialect, ignoring case', () => {
    // given
    const staff = [engineer('a', { languages: ['Mandarin'] }), engineer('b', { languages: ['Mandarin', 'Cantonese'] })];
    // when
    const cantonese = rankStaff(remote({ language: 'cantonese' }), staff);
    const mandarin = rankStaff(remote({ language: 'Mandarin' }), staff);
    // then the speaker leads; when both speak it, it is a tie broken by id
    expect(ids(cantonese)).toEqual(['b', 'a']);
    expect(cantonese[0]?.reasons).toContain('speaks Cantonese');
    expect(ids(mandarin)).toEqual(['a', 'b']);
  });

  it('prefers the less loaded', () => {
    // given
    const staff = [engineer('a', { currentLoad: 4 }), engineer('b', { currentLoad: 1 }), engineer('c', { currentLoad: 2 })];
    // when
    const ranked = rankStaff(remote(), staff);
    // then
    expect(ids(ranked)).toEqual(orderBy(staff, (s) => s.currentLoad));
    expect(ranked[0]?.reasons).toContain('load 1/5');
  });

  it('prefers the better rated, an unrated person counting as average', () => {
    // given
    const staff = [
      engineer('a', { satisfaction: { rate: 2.5, count: 4 } }),
      engineer('b', { satisfaction: { rate: 4.8, count: 10 } }),
      engineer('c'),
    ];
    // when
    const ranked = rankStaff(remote(), staff);
    // then 4.8 > 3 (unrated) > 2.5
    expect(ids(ranked)).toEqual(['b', 'c', 'a']);
    expect(ranked[0]?.reasons).toContain('satisfaction 4.8');
    expect(ranked[1]?.reasons).toContain('not rated yet');
  });

  it('prefers someone who covers the region', () => {
    // given
    const staff = [engineer('a', { regions: ['Xuhui'] }), engineer('b', { regions: ['Pudong'] })];
    // when / then
    expect(ids(rankStaff(remote({ region: 'Pudong' }), staff))).toEqual(['b', 'a']);
    expect(ids(rankStaff(remote({ region: 'Xuhui' }), staff))).toEqual(['a', 'b']);
  });
});
