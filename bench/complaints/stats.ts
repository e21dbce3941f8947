/** Percentiles and CPU accounting (/proc for child process groups, process.cpuUsage for this one). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

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

/**
 * CPU seconds (user + system) of every live process in the process group `pgid` (the embedded
 * servers run in groups of their own), plus what their reaped children used.
 */
export function groupCpuSeconds(pgid: number): number {
  let ticks = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // Fields after the command name (which may hold spaces): state is field 3, pgrp 5, utime 14 … cstime 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) !== pgid) continue;
    ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  }
  return ticks / clockTicks();
}

export interface CpuSample { ferretdb: number; temporal: number; node: number }

export function cpuSample(pids: { ferretdb: number; temporal: number }): CpuSample {
  const own = process.cpuUsage();
  return { ferretdb: groupCpuSeconds(pids.ferretdb), temporal: groupCpuSeconds(pids.temporal), node: (own.user + own.system) / 1e6 };
}

export function cpuDelta(before: CpuSample, after: CpuSample): CpuSample {
  return { ferretdb: after.ferretdb - before.ferretdb, temporal: after.temporal - before.temporal, node: after.node - before.node };
}
