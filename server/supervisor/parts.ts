/**
 * What the supervisor started and must stop: each part with its stop, stopped in reverse
 * order within SHUTDOWN_TIMEOUT_MS; a part that dies on its own (an embedded server, the
 * worker) is restarted with backoff, 1 s doubling to 30 s (decision 0026).
 */
import type { ManagedProcess } from '../infra/managedProcess';
import { scrub, type Logger } from '../log';

/** The longest wait between restarts of a part that keeps dying. */
const RESTART_MAX_DELAY_MS = 30_000;

interface Part {
  name: string;
  stop: () => Promise<void>;
}

export class Parts {
  private readonly parts: Part[] = [];
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly log: Logger,
    private readonly shutdownTimeoutMs: number,
    private readonly exit: (code: number) => void,
  ) {}

  /** True once the stop has begun: nothing is restarted any more. */
  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  /** Stopped at shutdown, after the parts owned after it. */
  own(name: string, stop: () => Promise<void>): void {
    this.parts.push({ name, stop });
  }

  /**
   * Restarts a part that died on its own, with backoff: 1 s, doubling to RESTART_MAX_DELAY_MS;
   * back to 1 s once it has run a minute. A relaunch that fails counts as another death.
   */
  restartOnDeath(name: string, relaunch: () => Promise<void>): (detail: string) => void {
    let attempts = 0;
    let upSince = Date.now();
    const died = (detail: string) => {
      if (this.stopping) return;
      if (Date.now() - upSince > 60_000) attempts = 0;
      attempts += 1;
      const delayMs = Math.min(RESTART_MAX_DELAY_MS, 1000 * 2 ** (attempts - 1));
      this.log.error({ part: name, detail: scrub(detail, 4000), attempt: attempts, delayMs }, `${name} stopped unexpectedly; restarting it`);
      setTimeout(() => {
        if (this.stopping) return;
        upSince = Date.now();
        relaunch().then(
          () => this.log.info({ part: name, attempt: attempts }, `${name} restarted`),
          (err: unknown) => died(`restart failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`),
        );
      }, delayMs);
    };
    return died;
  }

  /** An embedded server: restarted (relaunch) when it exits on its own. */
  watch(proc: ManagedProcess, relaunch: () => Promise<void>): void {
    const died = this.restartOnDeath(proc.name, async () => {
      try {
        await relaunch();
      } catch (err) {
        await proc.stop(2000).catch(() => undefined);
        throw err;
      }
    });
    // The tail stays in DATA_DIR/logs: server output is not for the service log.
    // Only a port clash is named from it: the one cause the operator fixes in our settings.
    proc.on('crash', ({ code, signal }: { code: number | null; signal: string | null }) => died(`exited with ${signal ?? code}`
      + (/address already in use/i.test(proc.lastLines()) ? ' (its port is in use by another program)' : '')));
  }

  /** Kills what a supervisor killed with -9 left running of this part (its pid file). */
  async reap(proc: ManagedProcess): Promise<void> {
    const pid = await proc.reapOrphan();
    if (pid) this.log.warn({ part: proc.name, pid }, 'killed a leftover of an earlier run (its supervisor was killed)');
  }

  /** Stops every part in reverse order; the whole stop is bounded by the shutdown timeout. */
  shutdown(code: number): Promise<void> {
    this.stopping ??= (async () => {
      const force = setTimeout(() => {
        this.log.error('shutdown took too long; forcing exit');
        this.exit(code || 1);
      }, this.shutdownTimeoutMs);
      for (const part of [...this.parts].reverse()) {
        try {
          await part.stop();
          this.log.info({ part: part.name }, 'stopped');
        } catch (err) {
          this.log.warn({ part: part.name, err }, 'error while stopping');
        }
      }
      clearTimeout(force);
      this.exit(code);
    })();
    return this.stopping;
  }
}
