/** Worker-thread entry of runner.ts: loads the checker, says ready, answers one job at a time. */
import { parentPort } from 'node:worker_threads';
import { checkFile } from './check';
import type { JobMessage, WorkerMessage } from './runner';

const port = parentPort;
if (!port) throw new Error('conformance/worker.js runs only as a worker thread');

port.on('message', (message: JobMessage) => {
  void checkFile(message.job.file, message.job.options).then((result) => {
    const reply: WorkerMessage = { type: 'result', id: message.id, result };
    port.postMessage(reply);
  });
});
const ready: WorkerMessage = { type: 'ready' };
port.postMessage(ready);
