/** Worker-thread entry of server/compile/pool.ts: compiles one BPMN document per message. */
import { parentPort } from 'node:worker_threads';
import { compileBpmn } from '../../processes/compiler';
import type { CompileReply, CompileRequest } from './pool';

const port = parentPort;
if (!port) throw new Error('compile worker runs only as a worker thread');

port.on('message', (request: CompileRequest) => {
  const { id, bytes, options } = request;
  void compileBpmn(bytes, {
    maxBytes: options.maxBytes,
    minTimerCycleMs: options.minTimerCycleMs,
    ...(options.taskTypes === undefined ? {} : { taskTypes: options.taskTypes === null ? null : new Set(options.taskTypes) }),
  }).then((result) => {
    const reply: CompileReply = { id, result };
    port.postMessage(reply);
  });
});
port.postMessage({ id: 0, ready: true });
