/**
 * The definitions API alone, for the definitions tests (definitionsDeploy, definitionsRefusals,
 * definitionsRead, definitionsList): the express app over a database of the test's own in the
 * test FerretDB, a 16 KiB BPMN size limit, served to an admin; and the definitions service on
 * the same database.
 */
import type { Connection } from 'mongoose';
import { connectMongo } from '../../server/db/mongo';
import { COLLECTION } from '../../server/definitions/model';
import { createDefinitionRepository } from '../../server/definitions/repository';
import { createDefinitionsService, type DefinitionsService } from '../../server/definitions/service';
import type { HealthReport } from '../../server/health';
import { createApp } from '../../server/http/app';
import { createLogger } from '../../server/log';
import { serveAsAdmin, type AdminServer } from './auth';
import { testEnv, uniqueName } from './servers';

export const MAX_BYTES = 16 * 1024;
const healthy = async (): Promise<HealthReport> => ({ status: 'ok', temporal: 'ok', mongo: 'ok', worker: 'ok' });
const dbName = (prefix: string) => uniqueName(prefix).replace(/-/g, '_');

export interface DefinitionsServer {
  mongo: Connection;
  api: AdminServer;
  service: DefinitionsService;
  /** How many definition versions are stored (matching `filter`). */
  stored: (filter?: Record<string, unknown>) => Promise<number>;
  /** GET `path` as the admin. */
  get: (path: string) => Promise<Response>;
  /** Closes the server and drops the database. */
  stop: () => Promise<void>;
}

export async function startDefinitionsServer(prefix: string): Promise<DefinitionsServer> {
  const mongo = await connectMongo(testEnv.mongoUri, dbName(prefix));
  const service = createDefinitionsService({ repository: createDefinitionRepository(mongo), maxBytes: MAX_BYTES });
  const api = await serveAsAdmin(createApp({ log: createLogger('silent'), health: healthy, mongo, bpmnMaxBytes: MAX_BYTES }), mongo);
  return {
    mongo,
    api,
    service,
    stored: (filter = {}) => mongo.collection(COLLECTION).countDocuments(filter),
    get: (path) => api.fetch(`${path}`),
    stop: async () => {
      await api.close();
      await mongo.db?.dropDatabase();
      await mongo.close();
    },
  };
}
