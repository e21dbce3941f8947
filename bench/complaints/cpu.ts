/**
 * CPU seconds per process, from /proc: each tracked process with its whole tree (its process
 * group when it leads one — the embedded servers do — and every descendant by parent pid, so a
 * database server's backends count as its own), plus any other process whose command line names
 * the servers' temp folder (a server the servers object does not expose). Reaped children count
 * through their parent's cutime/cstime. The orchestrator itself is measured with process.cpuUsage.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

interface Proc { pid: number; ppid: number; pgrp: number; comm: string; ticks: number }

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

function readProcs(): Map<number, Proc> {
  const procs = new Map<number, Proc>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // The command name (field 2) may hold spaces: fields after it start with state (field 3).
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    procs.set(Number(entry), {
      pid: Number(entry),
      comm: stat.slice(stat.indexOf('(') + 1, close),
      ppid: Number(fields[1]),
      pgrp: Number(fields[2]),
      // utime, stime, cutime, cstime (fields 14–17).
      ticks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]),
    });
  }
  return procs;
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** A process to account for under `name` (with its tree). */
export interface Tracked { name: string; pid: number }

export interface ProcessCpu {
  seconds: number;
  /** The tree's CPU seconds by command name (e.g. `postgres` below a database server). */
  byComm: Map<string, number>;
  /** Processes in the tree when sampled. */
  count: number;
}

export interface CpuSample { at: number; processes: Map<string, ProcessCpu> }

/**
 * Samples every tracked tree, then the untracked processes whose command line contains
 * `marker` (as `other_<command>`), and this process as `selfName`.
 */
export function sampleCpu(tracked: Tracked[], marker: string | undefined, selfName: string): CpuSample {
  const at = performance.now();
  const procs = readProcs();
  const children = new Map<number, number[]>();
  for (const p of procs.values()) {
    const siblings = children.get(p.ppid);
    if (siblings) siblings.push(p.pid);
    else children.set(p.ppid, [p.pid]);
  }
  const claimed = new Set<number>([process.pid, ...tracked.map((t) => t.pid)]);
  const processes = new Map<string, ProcessCpu>();
  const account = (name: string, root: number) => {
    const members = new Set<number>([root]);
    const leader = procs.get(root);
    if (leader && leader.pgrp === root) for (const p of procs.values()) if (p.pgrp === root && !claimed.has(p.pid)) members.add(p.pid);
    const queue = [...members];
    while (queue.length > 0) {
      for (const child of children.get(queue.pop()!) ?? []) {
        if (claimed.has(child) || members.has(child)) continue;
        members.add(child);
        queue.push(child);
      }
    }
    const cpu = processes.get(name) ?? { seconds: 0, byComm: new Map<string, number>(), count: 0 };
    for (const pid of members) {
      const p = procs.get(pid);
      if (!p) continue;
      claimed.add(pid);
      const seconds = p.ticks / clockTicks();
      cpu.seconds += seconds;
      cpu.byComm.set(p.comm, (cpu.byComm.get(p.comm) ?? 0) + seconds);
      cpu.count += 1;
    }
    processes.set(name, cpu);
  };
  for (const t of tracked) account(t.name, t.pid);
  if (marker) {
    for (const p of procs.values()) {
      if (!claimed.has(p.pid) && cmdline(p.pid).includes(marker)) account(`other_${slug(p.comm)}`, p.pid);
    }
  }
  const own = process.cpuUsage();
  processes.set(selfName, { seconds: (own.user + own.system) / 1e6, byComm: new Map([['node', (own.user + own.system) / 1e6]]), count: 1 });
  return { at, processes };
}

/** CPU used between two samples, per name (a name missing before counts from zero). */
export function cpuDelta(before: CpuSample, after: CpuSample): { wallS: number; processes: Map<string, ProcessCpu> } {
  const processes = new Map<string, ProcessCpu>();
  for (const [name, a] of after.processes) {
    const b = before.processes.get(name);
    const byComm = new Map<string, number>();
    for (const [comm, s] of a.byComm) byComm.set(comm, Math.max(0, s - (b?.byComm.get(comm) ?? 0)));
    processes.set(name, { seconds: Math.max(0, a.seconds - (b?.seconds ?? 0)), byComm, count: a.count });
  }
  return { wallS: (after.at - before.at) / 1000, processes };
}

/** `Temporal dev server` → `temporal`, `FerretDB` → `ferretdb`: a figure-name part. */
export const slug = (name: string) => name.toLowerCase().split(/[^a-z0-9]+/).find(Boolean) ?? 'process';

/**
 * The server processes a servers object exposes: every property (or array element) that
 * looks like a ManagedProcess (a `name` and a numeric `pid`), named by the first word of its
 * name — so a database server added next to FerretDB shows up without a change here.
 */
export function serverProcesses(servers: object): Tracked[] {
  const found: Tracked[] = [];
  const visit = (key: string, value: unknown) => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(`${key}${i}`, v));
      return;
    }
    if (!value || typeof value !== 'object') return;
    const { name, pid } = value as { name?: unknown; pid?: unknown };
    if (typeof name !== 'string' || typeof pid !== 'number') return;
    const base = slug(name);
    found.push({ name: found.some((f) => f.name === base) ? `${base}_${slug(key)}` : base, pid });
  };
  for (const [key, value] of Object.entries(servers)) visit(key, value);
  return found;
}
