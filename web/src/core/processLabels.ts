/** The element labels of processes (GET /api/definitions/{key}/labels), asked once a session per process. */
import { locale } from '../i18n';
import { NO_LABELS, type ProcessLabels } from '../i18n/processText';
import { api } from './api';

const asked = new Map<string, Promise<ProcessLabels>>();

/**
 * The labels of each process key; in English nothing is asked (the diagrams' own names are
 * English) unless `names` (a page that shows element ids and needs their names). A process
 * that cannot be read has none: its names show as they are.
 */
export async function loadLabels(keys: Iterable<string | null | undefined>, { names = false } = {}): Promise<ReadonlyMap<string, ProcessLabels>> {
  const wanted = [...new Set([...keys].filter((k): k is string => typeof k === 'string' && k.length > 0))];
  const found = new Map<string, ProcessLabels>();
  if (locale() === 'en' && !names) return found;
  await Promise.all(wanted.map(async (key) => {
    let pending = asked.get(key);
    if (!pending) {
      pending = api.get<ProcessLabels>(`/api/definitions/${encodeURIComponent(key)}/labels`).catch(() => NO_LABELS);
      asked.set(key, pending);
    }
    found.set(key, await pending);
  }));
  return found;
}
