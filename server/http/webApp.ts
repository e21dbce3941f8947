/**
 * The browser app (web/dist, built by scripts/buildWeb.cjs) at `/`: hashed assets cached for a
 * year, the HTML never cached, and a page that says how to build the app when it is missing
 * rather than a bare 404.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';

/** web/dist beside the sources, from server/http (ts-node/jest) or dist/server/http (built). */
export function defaultWebRoot(): string {
  const fromSource = path.resolve(__dirname, '../../web/dist');
  return __dirname.includes(`${path.sep}dist${path.sep}server`) ? path.resolve(__dirname, '../../../web/dist') : fromSource;
}

const notBuilt: RequestHandler = (_req, res) => {
  res.status(503).type('text/plain').send('The web app is not built. Run `npm run build:web` (npm start and npm test build it for you).\n');
};

export function webAppRouter(root: string): Router {
  const router = express.Router();
  const index = path.join(root, 'index.html');
  router.use('/assets', express.static(path.join(root, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: false }));
  router.get(['/', '/index.html'], (req, res, next) => {
    if (!fs.existsSync(index)) return notBuilt(req, res, next);
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  // The benchmark's bare bpmn-js page (bench:web); harmless static HTML.
  router.get('/bench-bare.html', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(path.join(root, 'bench-bare.html'));
  });
  return router;
}
