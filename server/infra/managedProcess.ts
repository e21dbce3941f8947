/**
 * A child server process (Temporal dev server, FerretDB) owned by the supervisor: output goes
 * to a log file, the last lines are kept for error reports, and stop() escalates from SIGTERM
 * to SIGKILL. Children run in their own process group so that a terminal's Ctrl-C reaches only
 * the supervisor, which then stops everything in order.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Last resort if the supervisor dies of an uncaught error: no orphan servers. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

export interface ManagedProcessOptions {
  /** Human name used in every message, e.g. "Temporal dev server". */
  name: string;
  command: string;
  args: string[];
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this user and group (when the service runs as root: PostgreSQL refuses root). */
  uid?: number;
  gid?: number;
  /**
   * The first signal of stop() and whether it goes to the leader only (default SIGTERM to the
   * whole group). PostgreSQL wants SIGINT ("fast" shutdown) at its postmaster alone: the
   * postmaster stops its own backends. SIGKILL after the grace period always hits the group.
   */
  stopSignal?: NodeJS.Signals;
  stopLeaderOnly?: boolean;
  /**
   * Where the child's pid is kept while it runs (in DATA_DIR). A supervisor killed with -9
   * cannot stop its children (they run in their own process groups); the next start finds
   * them by this file and kills them first (reapOrphan), so their ports and data are free.
   */
  pidFile?: string;
  /** Rewrites each output line before it reaches the log file and the kept tail (no personal data in logs). */
  redactLine?: (line: string) => string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};
/** Whether `pid` still runs `command` (Linux: /proc; elsewhere unknown = false, nothing is killed). */
function runs(pid: number, command: string): boolean {
  try {
    const argv0 = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    return path.basename(argv0) === path.basename(command);
  } catch {
    return false;
  }
}

export class ManagedProcess extends EventEmitter {
  private child: ChildProcess | undefined;
  private readonly tail: string[] = [];
  private stopping = false;
  exitCode: number | null = null;

  constructor(readonly options: ManagedProcessOptions) {
    super();
  }

  get name(): string {
    return this.options.name;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Kills what a previous supervisor left running of this part (its pid file names a live
   * process running the same program): its whole process group, then waits until it is gone.
   * Returns the pid it killed, if any.
   */
  async reapOrphan(): Promise<number | undefined> {
    const file = this.options.pidFile;
    if (!file || !fs.existsSync(file)) return undefined;
    const pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
    let reaped: number | undefined;
    if (Number.isInteger(pid) && pid > 1 && alive(pid) && runs(pid, this.options.command)) {
      for (const target of [-pid, pid]) {
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          // not a group leader any more, or gone
        }
      }
      for (let waited = 0; alive(pid) && waited < 10_000; waited += 50) await sleep(50);
      reaped = pid;
    }
    fs.rmSync(file, { force: true });
    return reaped;
  }

  start(): void {
    installExitHook();
    this.stopping = false;
    fs.mkdirSync(path.dirname(this.options.logFile), { recursive: true });
    const log = fs.createWriteStream(this.options.logFile, { flags: 'a' });
    const child = spawn(this.options.command, this.options.args, {
      cwd: this.options.cwd,
      env: { ...process.env, ...this.options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      ...(this.options.uid !== undefined ? { uid: this.options.uid } : {}),
      ...(this.options.gid !== undefined ? { gid: this.options.gid } : {}),
    });
    this.child = child;
    live.add(child);
    if (this.options.pidFile && child.pid) {
      fs.mkdirSync(path.dirname(this.options.pidFile), { recursive: true });
      fs.writeFileSync(this.options.pidFile, `${child.pid}\n${this.options.command}\n`, { mode: 0o600 });
    }
    const write = (text: string) => {
      // The last partial line may come after the exit closed the file.
      if (!log.writableEnded) log.write(text);
      this.tail.push(...text.split('\n').filter(Boolean));
      if (this.tail.length > 40) this.tail.splice(0, this.tail.length - 40);
      this.emit('output', text);
    };
    const redact = this.options.redactLine;
    // With a redaction, whole lines only: a line cut between two chunks would escape it.
    const keeper = () => {
      let partial = '';
      return {
        data: (chunk: Buffer) => {
          if (!redact) return write(chunk.toString());
          const lines = (partial + chunk.toString()).split('\n');
          partial = lines.pop() ?? '';
          if (lines.length) write(`${lines.map(redact).join('\n')}\n`);
        },
        end: () => {
          if (redact && partial) write(`${redact(partial)}\n`);
          partial = '';
        },
      };
    };
    const out = keeper();
    const errOut = keeper();
    child.stdout?.on('data', out.data);
    child.stderr?.on('data', errOut.data);
    child.stdout?.on('end', out.end);
    child.stderr?.on('end', errOut.end);
    child.on('error', (err) => {
      this.tail.push(`spawn failed: ${err.message}`);
    });
    child.on('exit', (code, signal) => {
      live.delete(child);
      // A crashed leader may leave its group (PostgreSQL's backends) behind: gone before any restart.
      if (child.pid) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // the group is gone
        }
      }
      if (this.options.pidFile && child.pid && fs.existsSync(this.options.pidFile)
        && Number(fs.readFileSync(this.options.pidFile, 'utf8').split('\n')[0]) === child.pid) fs.rmSync(this.options.pidFile, { force: true });
      this.exitCode = code ?? (signal ? 128 : 1);
      log.end();
      // An exit we did not ask for is a failure of the whole service.
      if (!this.stopping) this.emit('crash', { code, signal, tail: this.lastLines() });
      this.emit('exited', { code, signal });
    });
  }

  lastLines(n = 20): string {
    return this.tail.slice(-n).join('\n');
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  async stop(graceMs = 4000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || !this.running || !child.pid) return;
    const pid = child.pid;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-pid, signal);
      } catch {
        // the group is already gone
      }
    };
    const first = this.options.stopSignal ?? 'SIGTERM';
    if (this.options.stopLeaderOnly) {
      try {
        process.kill(pid, first);
      } catch {
        // already gone
      }
    } else {
      signalGroup(first);
    }
    const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
