/**
 * An opt-in CPU profile of the service's main thread (`BENCH_CPU_PROFILE_DIR`): node's
 * `--cpu-prof` writes only on a clean exit, and the orchestrator ends its children with
 * signals, so the service profiles itself through the inspector and writes the file when
 * asked to stop. Open it in Chrome DevTools (Performance) or any .cpuprofile viewer.
 */
import { Session } from 'node:inspector/promises';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface CpuProfiler { stop(): Promise<string | null> }

export async function startCpuProfile(dir: string | undefined, name: string): Promise<CpuProfiler> {
  if (!dir) return { stop: () => Promise.resolve(null) };
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 1000 });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      await mkdir(dir, { recursive: true });
      const file = join(dir, `${name}-${process.pid}.cpuprofile`);
      await writeFile(file, JSON.stringify(profile));
      return file;
    },
  };
}
