/**
 * The payload codec (decision 0023): AES-256-GCM per payload, the key id in the clear, rotation by
 * listing keys newest first, and payloads recorded before encryption passing through.
 */
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, parsePayloadKeys, PayloadKeyError, newPayloadKey } from '../../../server/temporal/payloadCodec';
import { loadConfig } from '../../../server/config';

const OLD = `k1:${'11'.repeat(32)}`;
const NEW = `k2:${'22'.repeat(32)}`;
const VALUE = { customerId: 'cust-zq7', location: { lat: 31.2345671, lon: 121.7654329 }, verbatim: 'ZQ7 the technician shouted' };
const plain = () => defaultPayloadConverter.toPayload(VALUE);
const asText = (p: Payload) => Buffer.from(p.data ?? []).toString('latin1') + Object.values(p.metadata ?? {}).map((v) => Buffer.from(v ?? []).toString('latin1')).join('');

describe('payload codec', () => {
  it('encrypts a payload so that nothing of it shows, and decrypts it back to the same value', async () => {
    const codec = new AesGcmPayloadCodec(parsePayloadKeys(NEW));
    const [sealed] = await codec.encode([plain()]);
    expect(Buffer.from(sealed!.metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(sealed!.metadata!['encryption-key-id']!).toString()).toBe('k2');
    for (const secret of ['cust-zq7', '31.2345671', 'ZQ7', 'json/plain']) expect(asText(sealed!)).not.toContain(secret);
    const [opened] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(VALUE);
    // a fresh IV each time: the same value never gives the same ciphertext
    const [again] = await codec.encode([plain()]);
    expect(Buffer.from(again!.data!).equals(Buffer.from(sealed!.data!))).toBe(false);
  });

  it('after a rotation encrypts with the new key and still decrypts what the old one sealed', async () => {
    const before = new AesGcmPayloadCodec(parsePayloadKeys(OLD));
    const after = new AesGcmPayloadCodec(parsePayloadKeys(`${NEW},${OLD}`));
    const [old] = await before.encode([plain()]);
    expect(defaultPayloadConverter.fromPayload((await after.decode([old!]))[0]!)).toEqual(VALUE);
    const [fresh] = await after.encode([plain()]);
    expect(Buffer.from(fresh!.metadata!['encryption-key-id']!).toString()).toBe('k2');
    // a process that lost the old key says which key it misses
    await expect(new AesGcmPayloadCodec(parsePayloadKeys(NEW)).decode([old!])).rejects.toThrow(/key 'k1'/);
  });

  it('passes payloads recorded before encryption through unchanged', async () => {
    const codec = new AesGcmPayloadCodec(parsePayloadKeys(NEW));
    const before = plain();
    expect(await codec.decode([before])).toEqual([before]);
  });

  it('refuses an altered payload or a key id swapped in its metadata', async () => {
    const codec = new AesGcmPayloadCodec(parsePayloadKeys(`${NEW},${OLD}`));
    const [sealed] = await codec.encode([plain()]);
    const flipped = Buffer.from(sealed!.data!);
    flipped[20] = flipped[20]! ^ 1;
    await expect(codec.decode([{ ...sealed!, data: flipped }])).rejects.toThrow();
    await expect(codec.decode([{ ...sealed!, metadata: { ...sealed!.metadata, 'encryption-key-id': Buffer.from('k1') } }])).rejects.toThrow();
  });

  it('reads keys as id:hex, newest first, and refuses malformed ones without echoing them', () => {
    expect(parsePayloadKeys(`${NEW}, ${OLD}`).map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(parsePayloadKeys(newPayloadKey())).toHaveLength(1);
    expect(() => parsePayloadKeys('k1:abcd')).toThrow(PayloadKeyError);
    expect(() => parsePayloadKeys(`${OLD},${OLD}`)).toThrow(/twice/);
    expect(() => parsePayloadKeys('')).toThrow(/no key/);
    let message = '';
    try {
      loadConfig({ PAYLOAD_KEYS: 'k1:secretsecret' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/PAYLOAD_KEYS/);
    expect(message).not.toContain('secretsecret');
  });

  it('is required where API and worker processes run apart', () => {
    const shared = { TEMPORAL_ADDRESS: 'temporal:7233', MONGODB_URI: 'mongodb://db/', CUSTOMER_LINK_KEY: 'x'.repeat(40), SERVICE_ROLE: 'api' };
    expect(() => loadConfig(shared)).toThrow(/PAYLOAD_KEYS/);
    expect(loadConfig({ ...shared, PAYLOAD_KEYS: NEW }).PAYLOAD_KEYS).toBe(NEW);
  });
});
