/** What the task page's cards share: who is looking, how an action runs, how the page re-reads. */
import { ApiError } from '../../core/api';
import { t } from '../../i18n';
import type { ProcessLabels } from '../../i18n/processText';
import type { Comment, Me, Task } from './model';

export interface TaskContext {
  me: Me;
  /** Runs `call` with `button` disabled; shows its problem in `problem`, or runs `after`. */
  act(button: HTMLButtonElement, problem: HTMLElement, call: () => Promise<unknown>, after: () => void): void;
  /** Re-reads and re-renders the task; with `until`, waits (briefly) until the read model shows it. */
  refresh(until?: (task: Task | null) => boolean): void;
  /** Names of the people the page shows (from loadNames). */
  names: ReadonlyMap<string, string>;
  /** Element labels of the processes shown, by process key (task names in the reader's language). */
  labels: ReadonlyMap<string, ProcessLabels>;
  /** Comments made here on tasks outside a complaint (the API does not list those). */
  localComments: Comment[];
}

export const problemText = (err: unknown): string => {
  if (err instanceof ApiError && err.fields.length) return err.fields.map((f) => `${f.path}: ${f.message}`).join('; ');
  return t('error.generic', { message: (err as Error).message });
};

export function runAction(button: HTMLButtonElement, problem: HTMLElement, call: () => Promise<unknown>, after: () => void): void {
  button.disabled = true;
  problem.hidden = true;
  call().then(after).catch((err: unknown) => {
    problem.textContent = problemText(err);
    problem.hidden = false;
    button.disabled = false;
  });
}
