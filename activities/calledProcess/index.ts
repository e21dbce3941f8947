/**
 * Resolves the process a call activity starts. The workflow cannot read the definition store
 * (no I/O in the sandbox), so it asks this activity; the answer is recorded in history, which
 * keeps replays on the version that was current when the call began.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { CalledProcess, CalledProcessActivities } from './contract';

export type { CalledProcess, CalledProcessActivities } from './contract';

/** Looks up the latest version of a process key; undefined when none is deployed. */
export type DefinitionLookup = (key: string) => Promise<CalledProcess | undefined>;

export function createCalledProcessActivities(lookup: DefinitionLookup | undefined): CalledProcessActivities {
  return {
    async resolveCalledProcess(processId: string): Promise<CalledProcess> {
      const found = lookup ? await lookup(processId) : undefined;
      if (!found) {
        // An incident on the call activity: deploy the process, then resolve the incident.
        throw ApplicationFailure.nonRetryable(`no deployed process with id '${processId}'`, 'CalledProcessNotFound');
      }
      return found;
    },
  };
}
