/**
 * What a what-if simulation reads and reports (README.md). Plain JSON: the profile and the
 * options travel to a worker thread, the result to the designer.
 */
import type { Variables } from '../evaluator/types';

/** The recorded history of the current version, per element (the server reads it from element_events). */
export interface HistoryProfile {
  /** Instances the profile was read from. */
  instances: number;
  /** Activation-to-completion durations per element (ms); a bounded sample. */
  durations: Array<{ elementId: string; samplesMs: number[] }>;
  /** Activations per element. */
  activations: Array<{ elementId: string; count: number }>;
  /** Times each sequence flow was taken (inferred, flows.ts). */
  flows: Array<{ flowId: string; count: number }>;
  /** Mean time between two starts (ms), from recent intake. */
  meanArrivalIntervalMs: number;
  /**
   * Start variables of recent instances, sampled per synthetic complaint (severity, tier,
   * timeouts: what timers and SLA targets read). Empty: `defaults.variables` only.
   */
  startVariables: Variables[];
  /**
   * Recorded payloads of messages per element they triggered (the names its output mappings
   * read, recovered from the variables they were mapped to). Absent or none for an element:
   * synthetic (messagePayloads.ts).
   */
  messages?: Array<{ elementId: string; samples: Variables[] }>;
}

export interface SimulationDefaults {
  /** For elements without recorded durations: user tasks, receive/catch waits. */
  waitMs: number;
  /** For jobs (service, send, business-rule tasks) and call activities without recorded durations. */
  jobMs: number;
  /** Merged under each sampled start variable set. */
  variables: Variables;
}

export interface SimulationOptions {
  seed: number;
  /** Synthetic complaints to start. */
  count: number;
  /** Virtual epoch ms of the first arrival (business calendars apply from here). */
  startAt: number;
  /** An instance stops being driven after this many stimuli (a loop the shares never leave). */
  maxStimuliPerInstance?: number;
  defaults?: Partial<SimulationDefaults>;
}

export interface ElementFigures {
  elementId: string;
  /** Activations in the simulation. */
  count: number;
  p50Ms: number | null;
  p90Ms: number | null;
  /** Share of this element's activations during which an SLA clock of the instance breached. */
  breachRate: number;
  /** Incidents raised at this element (a FEEL value the synthetic data did not provide). */
  incidents: number;
  /** The first incident's message (it names expressions, never values). */
  incidentMessage: string | null;
}

export interface DepartmentLoad {
  /** Candidate group of the user tasks. */
  group: string;
  tasks: number;
  /** Sum of the tasks' open time, hours. */
  hours: number;
  /** Average number of open tasks over the simulated period. */
  averageOpen: number;
  /** Most tasks open at once. */
  peakOpen: number;
}

export interface PolicyFigures {
  policyId: string;
  clocks: number;
  breached: number;
  breachRate: number;
}

export interface SimulationResult {
  processId: string;
  seed: number;
  count: number;
  completed: number;
  /** Stopped by an incident or by maxStimuliPerInstance. */
  stuck: number;
  overall: { p50Ms: number | null; p90Ms: number | null; breachRate: number };
  policies: PolicyFigures[];
  elements: ElementFigures[];
  departments: DepartmentLoad[];
  /** Virtual time from the first start to the last event, ms. */
  spanMs: number;
  /** Elements the history had nothing for: their durations or shares are the defaults. */
  estimated: string[];
  /** Evaluator steps run. */
  stimuli: number;
}
