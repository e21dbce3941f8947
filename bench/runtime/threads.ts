/**
 * CPU time of one process by thread, from /proc/self/task (Linux): the main thread (the SDK's
 * Node side, activities, sinks and the projection writer), the workflow thread(s) (the
 * sandbox: Temporal's activation code and the workflow code, i.e. our adapter and evaluator),
 * Temporal core's Rust threads (gRPC, state machines), and the rest (V8's GC and compiler
 * helpers, libuv). Threads that ended in between are counted in `totalMs` only.
 */
import fs from 'node:fs';
import { THREAD_CHANNEL } from './threadTag';

export interface ThreadCpu {
  /** process.cpuUsage(): every thread, also ended ones. */
  totalMs: number;
  mainMs: number;
  workflowMs: number;
  coreMs: number;
  otherMs: number;
}

/** /proc reports CPU time in clock ticks; USER_HZ is 100 on Linux. */
const TICK_MS = 10;

/** Collects the ids of worker threads as they start (see threadTag.ts). */
export function workerThreadIds(): Set<number> {
  const ids = new Set<number>();
  const channel = new BroadcastChannel(THREAD_CHANNEL);
  channel.onmessage = (event) => ids.add(Number((event as MessageEvent).data));
  (channel as unknown as { unref(): void }).unref();
  return ids;
}

export function readThreadCpu(workflowThreads: ReadonlySet<number>): ThreadCpu {
  const usage = process.cpuUsage();
  const out: ThreadCpu = { totalMs: (usage.user + usage.system) / 1000, mainMs: 0, workflowMs: 0, coreMs: 0, otherMs: 0 };
  for (const tid of fs.readdirSync('/proc/self/task')) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    // "<tid> (<comm>) <state> ..." — comm may hold spaces; fields 14 and 15 are utime, stime.
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    if (Number(tid) === process.pid) out.mainMs += ms;
    else if (workflowThreads.has(Number(tid))) out.workflowMs += ms;
    else if (comm !== 'node' && !comm.startsWith('V8 ') && !comm.startsWith('libuv')) out.coreMs += ms;
    else out.otherMs += ms;
  }
  return out;
}

/** What a phase used; `otherMs` is the remainder (helpers, and threads that ended meanwhile). */
export function cpuDelta(after: ThreadCpu, before: ThreadCpu): ThreadCpu {
  const d = {
    totalMs: after.totalMs - before.totalMs,
    mainMs: after.mainMs - before.mainMs,
    workflowMs: after.workflowMs - before.workflowMs,
    coreMs: after.coreMs - before.coreMs,
  };
  return { ...d, otherMs: Math.max(0, d.totalMs - d.mainMs - d.workflowMs - d.coreMs) };
}
