import { PermanentError } from '../catalog/errors';
import type { IntegrationContext } from '../catalog/types';
import type { ComplaintsPort } from './complaintsPort';

/** The complaints store from the integration deps; a worker wired without it fails the job at once. */
export function complaintsOf(ctx: IntegrationContext): ComplaintsPort {
  const store = ctx.deps.complaints;
  if (!store) throw new PermanentError('ComplaintsStoreMissing', 'this worker has no complaints store (IntegrationDeps.complaints)');
  return store;
}
