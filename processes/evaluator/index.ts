/**
 * The pure BPMN evaluator: `step(model, state, stimulus) -> { state, commands }`.
 * See README.md for the semantics and types.ts for the adapter contract.
 */
export { step, start, initialState } from './step';
export { DEFAULT_EVALUATOR_LIMITS } from './limits';
export type { EvaluatorLimits } from './limits';
export {
  activeElements,
  openUserTasks,
  pendingTimers,
  openJobs,
  openMessageSubscriptions,
  openSignalSubscriptions,
  openIncidents,
  variables,
} from './queries';
export type { ActiveElement } from './queries';
export { slaClockViews } from './sla/view';
export type { SlaClockView } from './sla/view';
export { startEvents } from './modelQueries';
export { adHocJobResultProblem } from './adHoc';
export type {
  State,
  Stimulus,
  StimulusType,
  Command,
  CommandType,
  StepResult,
  Incident,
  IncidentType,
  ResumeStage,
  ElementInstance,
  Wait,
  JoinState,
  LoopState,
  UserTaskInfo,
  Variables,
  AdHocJobResult,
  ModificationInstruction,
  SlaClock,
  SlaState,
} from './types';
export { modify, validateModification } from './modify';
export type { ModificationProblem } from './modify';
export { migrate, defaultMapping, validateMapping } from './migrate';
export { dryRunMigration } from './migrationDryRun';
export type { MigrationReport, RecordedStep } from './migrationDryRun';
export type { MappingInstruction, MigrationRefusal, MigrationResult } from './migrate';
