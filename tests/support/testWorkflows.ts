// The product's workflows plus a few that exist only to test the platform itself.
export * from '../../workflows';
import { sleep } from '@temporalio/workflow';

/** Sleeps `days` days and reports the workflow clock before and after. */
export async function sleepDays(days: number): Promise<{ before: number; after: number }> {
  const before = Date.now();
  await sleep(`${days} days`);
  return { before, after: Date.now() };
}
