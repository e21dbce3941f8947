/**
 * Encryption of everything the service hands Temporal (decision 0023): workflow and activity
 * inputs and results, signals, updates, queries, and failure messages and stacks. Temporal's
 * history, its database and its Web UI see only ciphertext; the process variables, locations,
 * customer ids and free text are readable only by processes that hold the keys.
 *
 * A `PayloadCodec` (it runs in the client and the worker, outside the workflow sandbox):
 * AES-256-GCM from node:crypto, a fresh 12-byte IV per payload, the whole original payload
 * (metadata and data) sealed, the key id in the clear in the new payload's metadata and bound
 * into the tag as additional data. Rotation: the first key encrypts, every key listed decrypts;
 * payloads without our encoding (histories recorded before, or by processes without the codec)
 * pass through unchanged.
 *
 * Keys: PAYLOAD_KEYS (`id:64 hex digits`, comma-separated, newest first), else
 * DATA_DIR/payload.keys in the same format, generated on first start with mode 0600.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const CIPHER = 'AES-256-GCM';
const METADATA_KEY_ID = 'encryption-key-id';
const METADATA_CIPHER = 'encryption-cipher';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface PayloadKey {
  id: string;
  key: Buffer;
}

export class PayloadKeyError extends Error {}

const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** `id:hex,id:hex` (newest first) → keys; throws a PayloadKeyError naming what is wrong, never echoing a key. */
export function parsePayloadKeys(text: string, source = 'PAYLOAD_KEYS'): PayloadKey[] {
  const entries = text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) throw new PayloadKeyError(`${source} holds no key`);
  const keys: PayloadKey[] = [];
  entries.forEach((entry, i) => {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    const hex = colon > 0 ? entry.slice(colon + 1) : '';
    if (!KEY_ID.test(id)) throw new PayloadKeyError(`${source}: entry ${i + 1} needs the form <id>:<64 hex digits>, the id of letters, digits, _ . -`);
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new PayloadKeyError(`${source}: key '${id}' must be 64 hex digits (32 bytes)`);
    if (keys.some((k) => k.id === id)) throw new PayloadKeyError(`${source}: key id '${id}' appears twice`);
    keys.push({ id, key: Buffer.from(hex, 'hex') });
  });
  return keys;
}

/** A new key in the PAYLOAD_KEYS format (`npm run` users: `node -e` in docs/security.md does the same). */
export function newPayloadKey(): string {
  return `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}:${randomBytes(32).toString('hex')}`;
}

/**
 * PAYLOAD_KEYS when set, else DATA_DIR/payload.keys (generated once, 0600). Every process that
 * talks to the same Temporal namespace needs the same keys.
 */
export async function loadPayloadKeys(configured: string | undefined, dataDir: string): Promise<PayloadKey[]> {
  if (configured) return parsePayloadKeys(configured);
  const file = path.join(dataDir, 'payload.keys');
  await mkdir(dataDir, { recursive: true });
  try {
    await writeFile(file, `${newPayloadKey()}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  await chmod(file, 0o600).catch(() => undefined);
  return parsePayloadKeys(await readFile(file, 'utf8'), file);
}

/** `fn`'s result, or its exception as a rejection (callers await; none expects a synchronous throw). */
function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

const text = (value: Uint8Array | null | undefined) => (value ? Buffer.from(value).toString('utf8') : undefined);

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;
  private readonly current: PayloadKey;

  constructor(keys: readonly PayloadKey[]) {
    const [current] = keys;
    if (!current) throw new PayloadKeyError('at least one payload key is needed');
    this.current = current;
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  /** The id new payloads are encrypted with. */
  get currentKeyId(): string {
    return this.current.id;
  }

  encode(payloads: Payload[]): Promise<Payload[]> {
    return settle(() => payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      cipher.setAAD(Buffer.from(this.current.id, 'utf8'));
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          encoding: Buffer.from(ENCRYPTED_ENCODING),
          [METADATA_KEY_ID]: Buffer.from(this.current.id),
          [METADATA_CIPHER]: Buffer.from(CIPHER),
        },
        data: sealed,
      };
    }));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return settle(() => payloads.map((payload) => {
      // Not ours: recorded before encryption, or by a process without the codec.
      if (text(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyId = text(payload.metadata?.[METADATA_KEY_ID]) ?? '';
      const key = this.byId.get(keyId);
      if (!key) throw new PayloadKeyError(`payload encrypted with key '${keyId}', which is not among PAYLOAD_KEYS: add it back (old keys stay listed after a rotation)`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadKeyError('encrypted payload too short');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(keyId, 'utf8'));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      const decoded = temporal.api.common.v1.Payload.decode(plain);
      return { metadata: decoded.metadata ?? {}, data: decoded.data ?? new Uint8Array() };
    }));
  }
}

/**
 * The data converter of every client, worker and replay of the service: the codec, and failure
 * messages and stacks moved into an (encrypted) payload. The workflow sandbox gets the same
 * failure converter through the bundle (server/workflowBundle.ts).
 */
export function encryptingDataConverter(codec: PayloadCodec): DataConverter {
  return { payloadCodecs: [codec], failureConverterPath: FAILURE_CONVERTER_PATH };
}

export const FAILURE_CONVERTER_PATH = require.resolve('../../workflows/failureConverter');
