/** Worker-thread entry of pool.ts: compiles a draft, or simulates a draft and the current version. */
import { parentPort } from 'node:worker_threads';
import { compileBpmn } from '../../processes/compiler';
import { simulate } from '../../processes/simulation';
import type { SimulationReply, SimulationRequest } from './pool';

const port = parentPort;
if (!port) throw new Error('simulation worker runs only as a worker thread');

port.on('message', (request: SimulationRequest) => {
  void (async (): Promise<SimulationReply> => {
    try {
      if (request.type === 'compile') {
        const result = await compileBpmn(request.bytes, { maxBytes: request.maxBytes });
        return { id: request.id, type: 'compiled', ok: result.ok, problems: result.problems, models: result.document?.processes ?? [] };
      }
      const draft = simulate(request.draft, request.profile, request.options);
      const current = request.current ? simulate(request.current, request.profile, request.options) : null;
      return { id: request.id, type: 'simulated', draft, current };
    } catch (err) {
      return { id: request.id, type: 'failed', message: err instanceof Error ? err.message : String(err) };
    }
  })().then((reply) => port.postMessage(reply));
});
port.postMessage({ id: 0, type: 'ready' });
