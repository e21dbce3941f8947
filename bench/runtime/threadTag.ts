/**
 * Preloaded (`--require`) into bench:runtime's worker process: every worker thread (the
 * Temporal SDK runs workflows in one) announces its OS thread id, so the process can tell
 * the workflow thread's CPU time from the main thread's in /proc (threads.ts).
 */
import fs from 'node:fs';
import { isMainThread } from 'node:worker_threads';

export const THREAD_CHANNEL = 'bench-runtime-threads';

if (!isMainThread) {
  const channel = new BroadcastChannel(THREAD_CHANNEL);
  // '/proc/thread-self' -> '<pid>/task/<tid>'
  channel.postMessage(Number(fs.readlinkSync('/proc/thread-self').split('/').pop()));
  channel.close();
}
