import { haversineKm, MIN_OUTLET_RATING, rankStaff } from '../../../server/domain/dispatch/rank';
import { CITY, engineer, north, outlet, remote } from './staffTable';

const ids = (ranked: Array<{ staffId: string }>) => ranked.map((r) => r.staffId);

describe('ranking rules', () => {
  it('never recommends off-duty staff, however good', () => {
    // given the best match is off duty
    const staff = [engineer('a', { skills: ['refrigeration'], onDuty: false }), engineer('b'), engineer('c')];
    // when
    const ranked = rankStaff(remote({ skill: 'refrigeration' }), staff);
    // then
    expect(ids(ranked)).toEqual(['b', 'c']);
  });

  it('returns the top three', () => {
    // given five equal engineers
    const staff = ['e', 'd', 'c', 'b', 'a'].map((id) => engineer(id));
    // when / then
    expect(ids(rankStaff(remote(), staff))).toEqual(['a', 'b', 'c']);
  });

  it('breaks ties by id, whatever order the candidates come in', () => {
    // given equal engineers in two input orders
    const staff = [engineer('s-2'), engineer('s-10'), engineer('s-1')];
    // when
    const forwards = rankStaff(remote(), staff);
    const backwards = rankStaff(remote(), [...staff].reverse());
    // then
    expect(ids(forwards)).toEqual(['s-1', 's-10', 's-2']);
    expect(backwards).toEqual(forwards);
  });

  it('puts the customer\'s favourite first when on duty and skilled', () => {
    // given the favourite is far and busy; c is the better match on score
    const staff = [
      engineer('c', { skills: ['refrigeration'], home: north(1) }),
      engineer('fav', { skills: ['refrigeration'], home: north(20), currentLoad: 4 }),
    ];
    const complaint = remote({ location: CITY, skill: 'refrigeration', favouriteStaffId: 'fav' });
    // when
    const ranked = rankStaff(complaint, staff);
    // then
    expect(ids(ranked)).toEqual(['fav', 'c']);
    expect(ranked[0]?.reasons[0]).toMatch(/favourite/);
  });

  it('does not put the favourite first when off duty or lacking the skill', () => {
    // given
    const c = engineer('c', { skills: ['refrigeration'], home: north(1) });
    const unskilled = engineer('fav', { skills: ['ovens'], home: north(20) });
    const offDuty = engineer('fav', { skills: ['refrigeration'], home: north(20), onDuty: false });
    const complaint = remote({ location: CITY, skill: 'refrigeration', favouriteStaffId: 'fav' });
    // when / then
    expect(ids(rankStaff(complaint, [c, unskilled]))).toEqual(['c', 'fav']);
    expect(ids(rankStaff(complaint, [c, offDuty]))).toEqual(['c']);
  });
});

describe('on-site repairs', () => {
  const outlets = [outlet('o-near-poor', 1, MIN_OUTLET_RATING - 0.5), outlet('o-mid', 5, 4.6), outlet('o-far', 12, 4.9)];

  it('sends the engineers of the nearest well-rated outlet first', () => {
    // given a better-scoring engineer from a poorly rated outlet next door
    const staff = [
      engineer('a', { outletId: 'o-near-poor', satisfaction: { rate: 5, count: 9 } }),
      engineer('b', { outletId: 'o-far' }),
      engineer('c', { outletId: 'o-mid' }),
    ];
    // when
    const ranked = rankStaff({ onSite: true, location: CITY }, staff, outlets);
    // then o-mid is the nearest outlet rated at least MIN_OUTLET_RATING
    const wellRated = outlets.filter((o) => o.rating >= MIN_OUTLET_RATING).sort((x, y) => haversineKm(CITY, x.location) - haversineKm(CITY, y.location));
    expect(wellRated[0]?.id).toBe('o-mid');
    expect(ids(ranked)).toEqual(['c', 'a', 'b']);
    expect(ranked[0]?.reasons[0]).toMatch(/Outlet o-mid/);
  });

  it('skips an outlet with no skilled engineer on duty, and sends only engineers', () => {
    // given o-mid's engineer lacks the skill, and an agent is near
    const staff = [
      engineer('b', { outletId: 'o-far', skills: ['refrigeration'] }),
      engineer('c', { outletId: 'o-mid', skills: ['ovens'] }),
      engineer('d', { outletId: 'o-mid', skills: ['refrigeration'], onDuty: false }),
      engineer('agent', { outletId: 'o-mid', roles: ['agent'], skills: ['refrigeration'] }),
    ];
    // when
    const ranked = rankStaff({ onSite: true, location: CITY, skill: 'refrigeration' }, staff, outlets);
    // then o-far is chosen; the agent is not an engineer
    expect(ids(ranked)).toEqual(['b', 'c']);
  });

  it('does not prefer an outlet when the repair is not on site', () => {
    // given the same staff, remote handling
    const staff = [engineer('a', { outletId: 'o-near-poor' }), engineer('c', { outletId: 'o-mid' })];
    // when
    const ranked = rankStaff(remote({ location: CITY }), staff, outlets);
    // then plain distance decides
    expect(ids(ranked)).toEqual(['a', 'c']);
  });
});
