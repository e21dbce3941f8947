import type { DirectoryService, RecommendationRequest } from '../../../server/domain/directory';
import { rankStaff } from '../../../server/domain/dispatch/rank';
import { CustomerNotFound } from '../../../server/domain/directory';
import { CITY, engineer, north } from '../dispatch/staffTable';
import { failureOf, jobHarness } from './support/jobs';

const staff = [
  engineer('s-far', { name: 'Far Away', home: north(15), skills: ['refrigeration'] }),
  engineer('s-near', { name: 'Nearby Person', home: north(1), skills: ['refrigeration'] }),
  engineer('s-mid', { name: 'Middle Person', home: north(6), skills: ['refrigeration'] }),
  engineer('s-other', { name: 'Other Person', home: north(2), skills: ['ovens'] }),
];

/** The directory's recommend over a fixed staff table; records what it was asked. */
function fakeDirectory(table = staff) {
  const requests: RecommendationRequest[] = [];
  const directory = {
    async recommend(request: RecommendationRequest) {
      requests.push(request);
      if (request.customerId === 'cust-missing') throw new CustomerNotFound(request.customerId);
      return rankStaff({ onSite: false, ...request }, table);
    },
  } as Partial<DirectoryService> as DirectoryService;
  return { directory, requests };
}

describe('dispatch.recommend', () => {
  it('returns the top three and the best as assignee', async () => {
    // given
    const { directory, requests } = fakeDirectory();
    const { run } = jobHarness({ directory });
    // when
    const result = await run({ taskType: 'dispatch.recommend', variables: { lat: CITY.lat, lon: CITY.lon, skill: 'refrigeration', customerId: 'cust-001' } });
    // then the same order the ranking gives, and the location passed as a point
    const expected = rankStaff({ onSite: false, location: CITY, skill: 'refrigeration' }, staff);
    expect(result.variables).toEqual({ recommendations: expected, assignee: expected[0]?.staffId });
    expect(requests[0]).toMatchObject({ location: CITY, customerId: 'cust-001', onSite: false });
  });

  it('answers assignee null when nobody is on duty', async () => {
    // given
    const { directory } = fakeDirectory(staff.map((s) => ({ ...s, onDuty: false })));
    const { run } = jobHarness({ directory });
    // when
    const result = await run({ taskType: 'dispatch.recommend', variables: { skill: 'refrigeration' } });
    // then
    expect(result.variables).toEqual({ recommendations: [], assignee: null });
  });

  it('fails at once, naming the missing dependency, on a worker without a directory', async () => {
    // given
    const { run } = jobHarness();
    // when
    const failure = await failureOf(run({ taskType: 'dispatch.recommend', variables: {} }));
    // then
    expect(failure).toMatchObject({ type: 'NotConfigured', nonRetryable: true });
    expect(failure.message).toMatch(/IntegrationDeps\.directory/);
  });

  it('refuses a latitude out of range or a lone longitude, naming the field', async () => {
    // given
    const { directory, requests } = fakeDirectory();
    const { run } = jobHarness({ directory });
    // when
    const outOfRange = await failureOf(run({ taskType: 'dispatch.recommend', variables: { lat: 91, lon: 121 } }));
    const lone = await failureOf(run({ taskType: 'dispatch.recommend', variables: { lon: 121 } }));
    // then
    expect(outOfRange).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    expect(outOfRange.message).toMatch(/lat:/);
    expect(lone.message).toMatch(/lon: lat and lon go together/);
    expect(requests).toHaveLength(0);
  });

  it('does not retry an unknown customer, and logs no names', async () => {
    // given
    const { directory } = fakeDirectory();
    const harness = jobHarness({ directory });
    // when
    const failure = await failureOf(harness.run({ taskType: 'dispatch.recommend', variables: { customerId: 'cust-missing' } }));
    await harness.run({ taskType: 'dispatch.recommend', variables: { skill: 'refrigeration' } });
    // then
    expect(failure).toMatchObject({ type: 'CustomerNotFound', nonRetryable: true });
    for (const s of staff) expect(harness.logText()).not.toContain(s.name);
  });

  it('reads null criteria (FEEL for "not known") as not given', async () => {
    // given
    const { directory, requests } = fakeDirectory();
    const { run } = jobHarness({ directory });
    // when
    const result = await run({ taskType: 'dispatch.recommend', variables: { lat: null, lon: null, product: null, skill: 'refrigeration', customerId: null, onSite: null } });
    // then nothing null reaches the directory, and the ranking is the one without those criteria
    // (the skill, read as a category as older diagrams pass it, maps to the skills list: processes/skills.ts)
    expect(requests[0]).toEqual({ skills: ['refrigeration'], onSite: false });
    expect(result.variables).toMatchObject({ assignee: rankStaff({ onSite: false, skill: 'refrigeration' }, staff)[0]?.staffId });
  });

  it('ranks without the customer when told to ignore one the directory does not know', async () => {
    // given
    const { directory, requests } = fakeDirectory();
    const { run } = jobHarness({ directory });
    // when
    const result = await run({ taskType: 'dispatch.recommend', variables: { skill: 'refrigeration', customerId: 'cust-missing', unknownCustomer: 'ignore' } });
    // then the second request has no customer, and an assignee is found
    expect(requests.map((r) => r.customerId)).toEqual(['cust-missing', undefined]);
    expect(result.variables).toMatchObject({ assignee: expect.any(String) });
  });
});
