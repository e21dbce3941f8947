/**
 * What a rate costs in CPU, per lifecycle and per process, and the rates those costs allow on
 * this machine: the arithmetic behind issue 11's verdict (decision 0068), printed by every run
 * so that it can be checked on any machine.
 *
 * A lifecycle's cost is the CPU a process used over the run (load and drain) divided by the
 * complaints filed. It is a lifecycle's whole cost only when every filed lifecycle closed: with
 * lifecycles left open, part of their work was never done and the figures would understate it,
 * so the derived rates print `n/a` then.
 */

/** The embedded database's processes: their CPU per command is the database's price of a command. */
const DATABASE_PROCESSES = new Set(['ferretdb', 'postgresql', 'mongod']);
/** The service's own process; every other service process is a server it relies on. */
const SERVICE_PROCESS = 'worker_api';

export interface CapacityInput {
  rate: number;
  filed: number;
  closed: number;
  dbCommands: number;
  cores: number;
  /** CPU seconds over the run of each process of the service (the bench's own excluded). */
  cpuSeconds: ReadonlyMap<string, number>;
}

type Line = [name: string, value: number | string, unit: string];

const round = (n: number, digits: number) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : 'n/a');

export function capacityFigures(input: CapacityInput): Line[] {
  if (input.filed <= 0) return [];
  const perLifecycle = [...input.cpuSeconds].map(([name, seconds]) => [name, seconds / input.filed] as const)
    .sort((a, b) => b[1] - a[1]);
  const total = perLifecycle.reduce((a, [, s]) => a + s, 0);
  const servers = perLifecycle.filter(([name]) => name !== SERVICE_PROCESS).reduce((a, [, s]) => a + s, 0);
  const database = [...input.cpuSeconds].filter(([name]) => DATABASE_PROCESSES.has(name)).reduce((a, [, s]) => a + s, 0);
  const complete = input.closed >= input.filed;
  const lines: Line[] = perLifecycle.map(([name, s]) => [`cpu_seconds_per_lifecycle_${name}`, round(s, 4), 'core-s']);
  if (database > 0 && input.dbCommands > 0) lines.push(['db_cpu_ms_per_command', round((1000 * database) / input.dbCommands, 2), 'ms']);
  lines.push(
    // The cores this rate needs at the cost measured: more than the machine has means it cannot keep up.
    ['cores_needed_at_rate', complete ? round(input.rate * total, 2) : 'n/a', `cores (of ${input.cores})`],
    // The rate every core busy would carry at this cost per lifecycle (a ceiling, not a promise: latency grows long before).
    ['cpu_bound_rate', complete && total > 0 ? round(input.cores / total, 2) : 'n/a', 'complaints/s'],
    // …and if the service's own process cost nothing: what the servers it relies on allow by themselves.
    ['cpu_bound_rate_servers_only', complete && servers > 0 ? round(input.cores / servers, 2) : 'n/a', 'complaints/s'],
  );
  return lines;
}
