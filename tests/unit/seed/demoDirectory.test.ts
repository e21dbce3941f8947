import { haversineKm } from '../../../server/domain/dispatch/rank';
import { DEMO_CENTRE, DEMO_LANGUAGES, demoDirectory } from '../../../server/domain/seed/demo';

describe('the demo directory', () => {
  it('is the same on every run, and differs for another seed', () => {
    // when
    const first = demoDirectory();
    const second = demoDirectory();
    // then
    expect(second).toEqual(first);
    expect(demoDirectory(7).staff).not.toEqual(first.staff);
  });

  it('has the four departments, 8 outlets, 50 staff and 30 customers with unique ids', () => {
    // when
    const demo = demoDirectory();
    // then
    expect(demo.departments.map((d) => d.key)).toEqual(['after-sales', 'technical', 'finance', 'logistics']);
    expect([demo.outlets.length, demo.staff.length, demo.customers.length]).toEqual([8, 50, 30]);
    const ids = [...demo.departments, ...demo.outlets, ...demo.staff, ...demo.customers].map((r) => r._id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('places everyone within 25 km of the city centre and speaks the city\'s languages', () => {
    // when
    const demo = demoDirectory();
    // then
    const places = [...demo.outlets.map((o) => o.location), ...demo.staff.map((s) => s.home!)];
    for (const place of places) expect(haversineKm(DEMO_CENTRE, place)).toBeLessThanOrEqual(25.01);
    const spoken = new Set(demo.staff.flatMap((s) => s.languages));
    expect([...spoken].sort()).toEqual([...DEMO_LANGUAGES].sort());
  });

  it('refers only to existing outlets, and favourites are engineers', () => {
    // when
    const demo = demoDirectory();
    // then
    const outlets = new Set(demo.outlets.map((o) => o._id));
    const engineers = new Set(demo.staff.filter((s) => s.roles.includes('engineer')).map((s) => s._id));
    for (const s of demo.staff) if (s.outletId !== null) expect(outlets.has(s.outletId)).toBe(true);
    const favourites = demo.customers.flatMap((c) => (c.favouriteStaffId ? [c.favouriteStaffId] : []));
    expect(favourites.length).toBeGreaterThan(0);
    for (const id of favourites) expect(engineers.has(id)).toBe(true);
    expect(new Set(demo.customers.map((c) => c.tier)).size).toBeGreaterThan(2);
  });
});
