/**
 * Who each deployed version lets publish its messages or broadcast its signals (decision 0021,
 * read by processes/compiler/messagePublishers.ts from the diagram). Versions never change, so
 * the declarations are kept per version (the last 50); a version the repository does not know
 * (an instance started from a model directly) declares nothing.
 */
import { messagePublishers } from '../../processes/compiler/messagePublishers';
import { NotFound } from '../domain/errors';
import type { DefinitionsService } from './service';

const KEPT_VERSIONS = 50;

export function declaredPublishers(definitions: Pick<DefinitionsService, 'resolveDefinition'>, element: 'bpmn:Message' | 'bpmn:Signal' = 'bpmn:Message') {
  const publishers = new Map<string, Promise<Map<string, string[]>>>();
  return (key: string, version: number): Promise<Map<string, string[]>> => {
    const id = `${key}@${version}`;
    let found = publishers.get(id);
    if (!found) {
      found = definitions.resolveDefinition(key, version).then(
        (record) => messagePublishers(record.xml, element),
        (err: unknown) => {
          if (err instanceof NotFound) return new Map<string, string[]>();
          throw err;
        },
      );
      found.catch(() => publishers.delete(id));
      publishers.set(id, found);
      if (publishers.size > KEPT_VERSIONS) publishers.delete(publishers.keys().next().value as string);
    }
    return found;
  };
}
