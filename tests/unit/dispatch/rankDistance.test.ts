import { haversineKm, rankStaff } from '../../../server/domain/dispatch/rank';
import { CITY, engineer, north, orderBy, remote } from './staffTable';

describe('ranking by distance', () => {
  it('computes great-circle distances (haversine)', () => {
    // given Pudong airport: ~9.5 km south and ~32.2 km east of People's Square, so ~33.6 km as the crow flies
    const airport = { lat: 31.1443, lon: 121.8083 };
    // when
    const km = haversineKm(CITY, airport);
    // then
    expect(km).toBeGreaterThan(33);
    expect(km).toBeLessThan(34);
    expect(haversineKm(CITY, north(10))).toBeCloseTo(10, 3);
  });

  it('puts the nearest first, all else equal', () => {
    // given three engineers who differ only in where they live
    const staff = [engineer('a', { home: north(12) }), engineer('b', { home: north(3) }), engineer('c', { home: north(7) })];
    // when
    const ranked = rankStaff(remote({ location: CITY }), staff);
    // then the order is the order of distances
    expect(ranked.map((r) => r.staffId)).toEqual(orderBy(staff, (s) => haversineKm(CITY, s.home!)));
    expect(ranked[0]).toMatchObject({ distanceKm: 3, reasons: expect.arrayContaining(['3.0 km away']) });
  });

  it('changes the order when someone moves closer', () => {
    // given b was the nearest, then a moves next door
    const staff = [engineer('a', { home: north(0.5) }), engineer('b', { home: north(3) }), engineer('c', { home: north(7) })];
    // when
    const ranked = rankStaff(remote({ location: CITY }), staff);
    // then
    expect(ranked.map((r) => r.staffId)).toEqual(orderBy(staff, (s) => haversineKm(CITY, s.home!)));
    expect(ranked[0]?.staffId).toBe('a');
  });

  it('measures from the outlet someone works at rather than their home', () => {
    // given a lives near but works at a far outlet; b lives far but works at a near one
    const outlets = [{ id: 'far', name: 'Far', location: north(20), rating: 4.5 }, { id: 'near', name: 'Near', location: north(2), rating: 4.5 }];
    const staff = [engineer('a', { home: north(1), outletId: 'far' }), engineer('b', { home: north(15), outletId: 'near' })];
    // when
    const ranked = rankStaff(remote({ location: CITY }), staff, outlets);
    // then
    expect(ranked.map((r) => [r.staffId, r.distanceKm])).toEqual([['b', 2], ['a', 20]]);
  });

  it('gives nobody distance points when the complaint has no location', () => {
    // given
    const staff = [engineer('b', { home: north(1) }), engineer('a', { home: north(20) })];
    // when
    const ranked = rankStaff(remote(), staff);
    // then a tie, broken by id
    expect(ranked.map((r) => [r.staffId, r.distanceKm])).toEqual([['a', null], ['b', null]]);
  });
});
