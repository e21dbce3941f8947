/** A small directory for the customer-facing complaint tests: three on-duty kettle engineers. */
import { seedDirectory } from '../../server/domain/seed';
import type { Api } from '../support/auth';
import type { Stack } from '../support/stack';
import { complete, completeDepartmentWork } from './complaintSupport';

export const ENGINEERS = ['staff-kettle-a', 'staff-kettle-b', 'staff-kettle-c'];

export async function seedKettleEngineers(stack: Stack): Promise<Record<string, Api>> {
  await seedDirectory(stack.mongo, {
    departments: [{ _id: 'dep-after-sales', key: 'after-sales', name: 'After-sales', candidateGroup: 'after-sales' }],
    outlets: [],
    staff: ENGINEERS.map((id, i) => ({
      _id: id, name: `Kettle Expert ${i + 1}`, roles: ['engineer'], skills: ['defect'], products: ['Kettle K2'], outletId: null,
      regions: [], languages: ['English'], home: { lat: 31.23 + i / 100, lon: 121.47 }, currentLoad: i, maxLoad: 5, onDuty: true,
      satisfaction: { sum: 0, count: 0, rate: 0 },
    })),
    customers: [],
  });
  const apis: Record<string, Api> = {};
  for (const id of ENGINEERS) {
    const user = await stack.createUser({ roles: ['engineer'], groups: ['after-sales'], staffId: id });
    apis[id] = (await stack.login(user.email, user.password)).api;
  }
  return apis;
}

/** From the accepted dispatch to the resolution summary, the departments' work (open since intake) done by an admin. */
export async function resolveAs(stack: Stack, engineer: Api, id: string) {
  await complete(stack, engineer, id, 'DispatchRecommended');
  await complete(stack, engineer, id, 'FirstResponse');
  await completeDepartmentWork(stack, stack.api, id);
  await complete(stack, engineer, id, 'ResolutionSummary', { resolutionSummary: 'replaced the thermostat' });
}
