/**
 * `npm run replay -- FILE [FILE…]`: replays workflow histories downloaded from any Temporal
 * (the CLI's `temporal workflow show -w ID --output json > FILE`, or the Web UI's download)
 * against this checkout's workflow code, to find out before a deploy whether a change of
 * workflows/ or processes/evaluator would break instances in flight (decision 0027).
 *
 * Prints one line per file, `ok` or why it failed, and exits 1 when any file fails (2 when a
 * file cannot be read). Needs no server: the workflow code is bundled here.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { DeterminismViolationError } from '@temporalio/workflow';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { workflowBundleOptions } from '../workflowBundle';
import { AesGcmPayloadCodec, encryptingDataConverter, parsePayloadKeys } from '../temporal/payloadCodec';
import { HistoryFileError, readHistoryFile } from './loadHistory';

export interface ReplayOutcome {
  file: string;
  ok: boolean;
  events: number;
  /** Why it failed: `determinism: …`, `failed: …`. */
  error?: string;
}

const quiet = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} };

/**
 * The payload keys a replay decrypts with (decision 0023): PAYLOAD_KEYS, else DATA_DIR's
 * payload.keys when that file exists (never generated here). None: histories recorded before
 * encryption, or by a service without it, replay as they are.
 */
export function replayDataConverter(env: NodeJS.ProcessEnv = process.env): DataConverter | undefined {
  if (env.PAYLOAD_KEYS) return encryptingDataConverter(new AesGcmPayloadCodec(parsePayloadKeys(env.PAYLOAD_KEYS)));
  const file = path.join(path.resolve(env.DATA_DIR ?? 'data'), 'payload.keys');
  if (!fs.existsSync(file)) return undefined;
  return encryptingDataConverter(new AesGcmPayloadCodec(parsePayloadKeys(fs.readFileSync(file, 'utf8'), file)));
}

/** Replays each file with the given bundle (or one bundled from workflows/ now), decrypting with `dataConverter`. */
export async function replayFiles(files: string[], codePath?: string, dataConverter?: DataConverter): Promise<ReplayOutcome[]> {
  const histories = files.map((file) => ({ file, history: readHistoryFile(file) }));
  const workflowBundle = codePath ? { codePath } : { code: (await bundleWorkflowCode(workflowBundleOptions(quiet))).code };
  const outcomes: ReplayOutcome[] = [];
  for (const { file, history } of histories) {
    const events = history.events?.length ?? 0;
    const workflowId = `replay-${path.basename(file)}`;
    try {
      await Worker.runReplayHistory({ workflowBundle, ...(dataConverter ? { dataConverter } : {}) }, history, workflowId);
      outcomes.push({ file, ok: true, events });
    } catch (err) {
      const kind = err instanceof DeterminismViolationError ? 'determinism' : 'failed';
      outcomes.push({ file, ok: false, events, error: `${kind}: ${(err as Error).message}` });
    }
  }
  return outcomes;
}

async function main(argv: string[]): Promise<number> {
  const files = argv.filter((a) => !a.startsWith('-'));
  if (files.length === 0 || argv.includes('--help')) {
    process.stderr.write('usage: npm run replay -- FILE [FILE…]\n  FILE: `temporal workflow show -w ID --output json > FILE`, or a history downloaded from the Temporal Web UI\n  keys: PAYLOAD_KEYS, else DATA_DIR/payload.keys when it exists (encrypted histories)\n');
    return 2;
  }
  let outcomes: ReplayOutcome[];
  try {
    outcomes = await replayFiles(files, undefined, replayDataConverter());
  } catch (err) {
    if (!(err instanceof HistoryFileError)) throw err;
    process.stderr.write(`cannot read the history: ${err.message}\n`);
    return 2;
  }
  for (const o of outcomes) process.stdout.write(`${o.file}: ${o.ok ? 'ok' : o.error} (${o.events} events)\n`);
  const failed = outcomes.filter((o) => !o.ok).length;
  process.stdout.write(`replayed: ${outcomes.length} files\nfailed: ${failed} files\n`);
  return failed > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
    process.stderr.write(`replay failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
