/** Configuration: where the service runs and the servers it uses (Temporal, MongoDB/FerretDB, embedded or shared). */
import { z } from 'zod';
import { bool, optionalString, port } from './types';

export const serversEnv = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  /** Unset = start the embedded Temporal dev server. */
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('complaint-bpm'),
  TEMPORAL_TLS: bool.optional(),
  TEMPORAL_TLS_CERT_PATH: optionalString,
  TEMPORAL_TLS_KEY_PATH: optionalString,
  TEMPORAL_TLS_CA_PATH: optionalString,
  TEMPORAL_TLS_SERVER_NAME: optionalString,
  TEMPORAL_API_KEY: optionalString,
  EMBEDDED_TEMPORAL_PORT: port.default(7233),
  EMBEDDED_TEMPORAL_UI_PORT: port.default(8233),
  /** `false` runs the embedded dev server without its Web UI. */
  EMBEDDED_TEMPORAL_UI: bool.default(true),

  /** Unset = start the embedded FerretDB. */
  MONGODB_URI: optionalString,
  EMBEDDED_FERRETDB_PORT: port.default(27017),
  /** Client connections per process to MongoDB; FerretDB wants few (server/db/mongo.ts). */
  MONGODB_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(8),
  /** Port of the embedded PostgreSQL under FerretDB; unset = a free loopback port at each start. */
  EMBEDDED_POSTGRES_PORT: port.optional(),
  /** When the service runs as root: the account PostgreSQL runs as (default `postgres`, else `nobody`). */
  EMBEDDED_POSTGRES_USER: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'a user name').optional(),
  MONGODB_DATABASE: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, 'letters, digits, _ and - only').default('complaint_bpm'),
};
