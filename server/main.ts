/** Entry point of `npm start`. */
import { ConfigError, loadConfig, type Config } from './config';
import { restrictNewFiles } from './infra/dataDir';
import { logUnhandledRejections } from './infra/unhandled';
import { createLogger } from './log';
import { Supervisor } from './supervisor';

function main(): void {
  // Everything this process and its servers create (DATA_DIR above all) is private: 0600 / 0700.
  restrictNewFiles();
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
    process.exit(2);
  }
  const log = createLogger(config.LOG_LEVEL);
  const supervisor = new Supervisor(config, log);
  let signals = 0;
  logUnhandledRejections(log, () => signals > 0);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      signals += 1;
      if (signals > 1) {
        log.warn('second signal: exiting now');
        process.exit(130);
      }
      log.info({ signal }, 'stopping');
      void supervisor.shutdown(0);
    });
  }
  supervisor.start().catch((err: unknown) => {
    log.error({ err }, `start-up failed: ${err instanceof Error ? err.message : String(err)}`);
    void supervisor.shutdown(1);
  });
}

main();
