/** Types of the call-activity support activity (workflow-safe: types only). */
import type { ProcessModel } from '../../processes/model';

export interface CalledProcess {
  definition: { key: string; version: number };
  model: ProcessModel;
}

export interface CalledProcessActivities {
  /** The latest deployed version of a called process, at the moment the call activity starts. */
  resolveCalledProcess(processId: string): Promise<CalledProcess>;
}
