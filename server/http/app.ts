/** The express application: security headers, JSON limits, the /api routes, JSON errors. */
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { HealthReport } from '../health';
import type { Logger } from '../log';
import { errorHandler, notFound } from './errors';

export interface AppDeps {
  log: Logger;
  health: () => Promise<HealthReport>;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet());
  app.use(express.json({ limit: '1mb' }));

  app.get('/api/health', async (_req, res) => {
    const report = await deps.health();
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });

  app.use('/api', notFound);
  app.use(errorHandler(deps.log));
  return app;
}
