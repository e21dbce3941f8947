import type { MDefinitions, MElement, MProcess } from './moddleTypes';
import type { Problems } from './problems';

export interface MParticipantLookup {
  /** Processes to translate, with a participant name to fall back on. */
  toCompile: Array<{ process: MProcess; name: string | undefined }>;
}

/**
 * The executable processes of a document (in a collaboration, the participants' processes
 * flagged isExecutable). With none, every process is still translated so the designer
 * sees all problems at once, and each process carries the "not executable" error.
 */
export function executableProcesses(definitions: MDefinitions, problems: Problems): MParticipantLookup {
  const roots = definitions.rootElements ?? [];
  const processes = roots.filter((r): r is MProcess => r.$type === 'bpmn:Process');
  const participantName = new Map<MElement, string>();
  for (const root of roots) {
    if (root.$type !== 'bpmn:Collaboration') continue;
    const participants = (root as MElement & { participants?: Array<MElement & { processRef?: MElement }> }).participants ?? [];
    for (const p of participants) {
      if (p.processRef && p.name) participantName.set(p.processRef, p.name);
    }
  }
  const executable = processes.filter((p) => p.isExecutable === true);
  if (processes.length === 0) {
    problems.error(null, null, 'document-level: the document contains no process');
  } else if (executable.length === 0) {
    for (const p of processes) {
      problems.error(p.id ?? null, p.$type, `no executable process: process '${p.id ?? ''}' is not marked isExecutable="true"`);
    }
  }
  const chosen = executable.length > 0 ? executable : processes;
  for (const p of chosen) {
    if (p.id !== undefined && p.id.trim() !== '') continue;
    // The process id is the key instances start by (Zeebe refuses a process without one). The
    // process has no id to name, so the problem names the definitions around it.
    const label = p.name ?? participantName.get(p);
    const message = `a bpmn:Process${label ? ` ('${label}')` : ''} has no id; Camunda 8 needs one: it is the BPMN process id instances are started by`;
    if (definitions.id) problems.error(definitions.id, 'bpmn:Definitions', message);
    else problems.error(null, null, `document-level: ${message}`);
  }
  return { toCompile: chosen.map((process) => ({ process, name: participantName.get(process) })) };
}
