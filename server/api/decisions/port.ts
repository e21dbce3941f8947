/** The decision store as the called-decision activity sees it (activities/integrations/decisionsPort.ts). */
import type { DecisionsPort } from '../../../activities/integrations/decisionsPort';
import type { DecisionsService } from './service';

export function decisionsPort(service: DecisionsService): DecisionsPort {
  return {
    async resolve(decisionId, binding) {
      const record = await service.resolve(decisionId, binding);
      return record && { decisionId: record.decisionId, version: record.version, graph: record.graph };
    },
  };
}
