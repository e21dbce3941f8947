/** One projection observer telling several (metrics and alerts). */
import type { Logger } from '../log';
import type { ProjectionObserver } from './flush';

/** An observer that throws does not stop the others, nor the write that told them. */
export function observers(list: ReadonlyArray<ProjectionObserver | undefined>, log: Logger): ProjectionObserver {
  const live = list.filter((o): o is ProjectionObserver => o !== undefined);
  const each = (call: (o: ProjectionObserver) => void) => {
    for (const o of live) {
      try {
        call(o);
      } catch (err) {
        log.warn({ err }, 'projection observer failed');
      }
    }
  };
  return {
    instanceStarted: (p) => each((o) => o.instanceStarted(p)),
    instanceEnded: (p, s) => each((o) => o.instanceEnded(p, s)),
    taskOpened: (p) => each((o) => o.taskOpened(p)),
    taskCompleted: (p) => each((o) => o.taskCompleted(p)),
    incidentRaised: (p, t, i) => each((o) => o.incidentRaised(p, t, i)),
  };
}
