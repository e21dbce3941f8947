/**
 * Where a worker process's CPU goes, from the V8 CPU profiles (`--cpu-prof`) of its threads:
 * each sample taken inside the measured window is put in a category by the code it was in.
 * Workflow code runs from the bundle, so bundle lines are mapped to webpack modules.
 * Used by bench:runtime with BENCH_PROFILE=1. V8 samples by wall clock: a thread blocked in a
 * native call (Node's vm starts and joins a watchdog thread for every call into a workflow
 * context) is counted in that call, so these are sampled times, not CPU times; profiling also
 * slows the worker. Read the shares; take CPU times from /proc (threads.ts).
 */
import fs from 'node:fs';
import path from 'node:path';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] }

export type ThreadKind = 'main' | 'workflow';
/** Category -> sampled ms, per thread kind. */
export type Breakdown = Record<ThreadKind, Record<string, number>>;

/** Line ranges of the webpack modules in a workflow bundle (0-based lines). */
function bundleModules(code: string): Array<{ line: number; module: string }> {
  const out: Array<{ line: number; module: string }> = [];
  code.split('\n').forEach((text, line) => {
    const m = /^\/\*\*\*\/ "([^"]+)"/.exec(text);
    if (m?.[1]) out.push({ line, module: m[1] });
  });
  return out;
}

function moduleAt(modules: Array<{ line: number; module: string }>, line: number): string {
  let lo = 0;
  let hi = modules.length - 1;
  let found = '';
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (modules[mid]!.line <= line) {
      found = modules[mid]!.module;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

const byModule: Array<[RegExp, string]> = [
  [/\/dist\/processes\/feel\/|\/node_modules\/(feelin|lezer-feel|@lezer|temporal-polyfill|temporal-utils|min-dash)\//, 'FEEL (feelin, its parser, the Temporal polyfill)'],
  [/\/dist\/processes\//, 'evaluator (processes/evaluator, model, timers)'],
  [/\/dist\/(workflows|activities|bench)\//, 'adapter (workflows/processInstance, hand-written workflow)'],
  [/\/node_modules\/@temporalio\//, 'Temporal workflow runtime (in the sandbox)'],
];

const byUrl: Array<[RegExp, string]> = [
  [/workflow\/vm-shared\.js$|workflow\/reusable-vm\.js$|workflow\/vm\.js$|workflow-worker-thread\.js$|^node:vm$|^evalmachine/, 'Temporal workflow runtime (thread side)'],
  [/node_modules\/@temporalio\/|node_modules\/(rxjs|protobufjs|long|@grpc|ms)\//, 'Temporal SDK (Node side, calls into core)'],
  [/dist\/server\/projections\/|node_modules\/(mongodb|bson|mongoose|mquery|kareem|sift|mpath)\//, 'projection writer (incl. MongoDB driver)'],
  [/dist\/activities\/|node_modules\/zod\//, 'activities (runJob, variables.set)'],
  [/dist\/server\/|node_modules\/(pino|prom-client)/, 'service code (metrics, wiring)'],
];

function categorize(profile: CpuProfile, modules: Array<{ line: number; module: string }>, bundleName: string, thread: ThreadKind): Map<number, string> {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const memo = new Map<number, string>();
  const own = (n: ProfileNode): string | null => {
    const { functionName, url, lineNumber } = n.callFrame;
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (url.endsWith(`/${bundleName}`)) {
      const module = moduleAt(modules, lineNumber);
      return byModule.find(([re]) => re.test(module))?.[1] ?? `other bundled code`;
    }
    if (thread === 'workflow' && functionName === 'runInContext' && url === '') return 'Temporal: entering the VM context (per call into a workflow)';
    if (thread === 'workflow' && functionName === 'postMessage') return 'thread messages (activations, sink calls)';
    return byUrl.find(([re]) => re.test(url))?.[1] ?? null;
  };
  // Work done under these frames is theirs, whatever it calls: Temporal records a stack trace
  // for every promise a workflow creates (for its stack trace query) in the promise hook
  // `init`; each new workflow runs the module code of its bundle again (`importWorkflows`).
  const sticky = (n: ProfileNode): string | null => {
    const { functionName, url } = n.callFrame;
    if (functionName === 'init' && url.endsWith('vm-shared.js')) return 'Temporal: stack trace of every workflow promise';
    if (functionName === 'importWorkflows' && url.endsWith(`/${bundleName}`)) return 'Temporal: bundle modules loaded again for each workflow';
    return null;
  };
  const stickyOf = new Map<number, string | null>();
  const stickyCategory = (id: number): string | null => {
    if (stickyOf.has(id)) return stickyOf.get(id)!;
    const up = parent.get(id);
    const result = sticky(nodes.get(id)!) ?? (up !== undefined ? stickyCategory(up) : null);
    stickyOf.set(id, result);
    return result;
  };
  const category = (id: number): string => {
    const cached = memo.get(id);
    if (cached) return cached;
    const up = parent.get(id);
    const result = stickyCategory(id) ?? own(nodes.get(id)!) ?? (up !== undefined ? category(up) : null) ?? 'Node runtime (event loop, I/O, natives)';
    memo.set(id, result);
    return result;
  };
  const out = new Map<number, string>();
  for (const n of profile.nodes) out.set(n.id, category(n.id));
  return out;
}

/**
 * Sums the samples of every profile in `dir` that fall in one of the windows [fromUs, toUs]
 * (V8's monotonic clock, as `process.hrtime`), by thread kind and category.
 */
export function profileBreakdown(dir: string, bundlePath: string, windows: Array<[number, number]>): Breakdown {
  const modules = bundleModules(fs.readFileSync(bundlePath, 'utf8'));
  const out: Breakdown = { main: {}, workflow: {} };
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    // CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile; thread 0 is the main thread.
    const thread: ThreadKind = file.split('.')[4] === '0' ? 'main' : 'workflow';
    const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
    const categories = categorize(profile, modules, path.basename(bundlePath), thread);
    let t = profile.startTime;
    profile.samples.forEach((id, i) => {
      const delta = profile.timeDeltas[i] ?? 0;
      t += delta;
      if (!windows.some(([from, to]) => t >= from && t <= to)) return;
      const c = categories.get(id) ?? 'unknown';
      if (c === 'idle') return;
      out[thread][c] = (out[thread][c] ?? 0) + delta / 1000;
    });
  }
  return out;
}
