/**
 * A recorded-history profile for the shipped complaint process, made up for the benchmark:
 * user tasks take hours, jobs seconds, the customer answers within days; branch shares as a
 * busy service might see them. Seeded, so every run simulates the same thing.
 */
import type { ProcessModel } from '../../processes/model';
import { seededRandom } from '../../processes/simulation';
import type { HistoryProfile } from '../../processes/simulation';

const HOUR = 3_600_000;

/** Share of a flow among its gateway's outgoing flows (ids of complaint-handling.bpmn). */
const FLOW_COUNTS: Record<string, number> = {
  ToRecommendedEngineer: 60, ToCustomerChoice: 25, NoRecommendation: 15,
  o3: 80, o4: 20,
  ToAfterSales: 70, ToTechnical: 40, ToFinance: 30, ToLogistics: 20, NoDepartmentWork: 5,
  AutoApprove: 60, NeedsApproval: 40,
  ByEmail: 85, NoNotification: 15,
  f17: 70, f18: 10, f19: 20,
  SatisfiedYes: 75, NotSatisfied: 25,
  ToDepartmentHead: 5, ToSupervisor: 95,
};
// DepartmentRequested (bring in a department, an event subprocess) never happened in this
// made-up history: the simulator would start it without the message's department.
const BOUNDARY_COUNTS: Record<string, number> = { CustomerNotReachable: 5, CommitmentsOpen: 10, DepartmentRequested: 0 };

export function shippedProfile(model: ProcessModel, seed = 7): HistoryProfile {
  const random = seededRandom(seed);
  const durations: HistoryProfile['durations'] = [];
  for (const e of model.elements) {
    const meanMs = e.kind === 'userTask' ? 3 * HOUR : e.kind === 'serviceTask' ? 2_000 : e.kind === 'eventBasedGateway' ? 30 * HOUR : null;
    if (meanMs === null) continue;
    durations.push({ elementId: e.id, samplesMs: Array.from({ length: 200 }, () => Math.round(random.exponential(meanMs))) });
  }
  const activations = [
    ...model.elements.filter((e) => !(e.id in BOUNDARY_COUNTS)).map((e) => ({ elementId: e.id, count: 100 })),
    ...Object.entries(BOUNDARY_COUNTS).map(([elementId, count]) => ({ elementId, count })),
  ];
  return {
    instances: 100,
    durations,
    activations,
    flows: Object.entries(FLOW_COUNTS).map(([flowId, count]) => ({ flowId, count })),
    meanArrivalIntervalMs: 10 * 60_000,
    startVariables: ['high', 'medium', 'low'].map((severity, i) => ({
      severity, customerTier: i === 0 ? 'gold' : 'standard', engineerChoiceTimeout: 'P2D', assignee: `engineer-${i}`,
      complaintId: `sim-${i}`, compensationAutoApproveLimit: 100, reopenCount: 0,
    })),
  };
}
