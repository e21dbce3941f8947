/**
 * The logger's backstop against personal data (docs/security.md, "Personal data"): errors reach
 * the log as type, code and scrubbed message only, data-bearing fields are redacted at any of the
 * first three levels, and FerretDB's statement arguments are cut out of its lines.
 */
import { Writable } from 'node:stream';
import { MongoBulkWriteError, MongoServerError } from 'mongodb';
import { createLogger, errorSummary } from '../../../server/log';
import { PinoTemporalLogger } from '../../../server/temporal/runtime';
import { redactFerretdbArgs } from '../../../server/infra/embeddedServers';

const EMAIL = 'zq7.marker@example.org';
const PHONE = '+86 139 7707 4219';
const FREE_TEXT = 'ZQ7 the kettle smells of burnt plastic';

/** A logger made by createLogger whose lines are kept. */
function capture() {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(...chunk.toString().trim().split('\n')); done(); } });
  return { lines, log: createLogger('trace', 'complaint-bpm', sink) };
}

describe('log redaction', () => {
  it('logs a bulk write error that carries the instance it tried to write as type, code and message only', () => {
    // given the error the driver throws when a projection write is refused: the documents ride along
    const instance = { _id: 'pi-1', variables: { customerId: 'cust-zq7', contact: { email: EMAIL, phone: PHONE }, description: FREE_TEXT } };
    const err = new MongoBulkWriteError(
      { message: 'write refused', code: 121, writeErrors: [] },
      { insertedCount: 0, matchedCount: 0, modifiedCount: 0, deletedCount: 0, upsertedCount: 0, upsertedIds: {}, insertedIds: {}, ok: 0,
        writeErrors: [{ index: 0, code: 121, errmsg: 'Document failed validation', op: instance }] } as never,
    );
    const summary = JSON.stringify(errorSummary(err));
    expect(summary).toContain('MongoBulkWriteError');
    for (const secret of [EMAIL, PHONE, FREE_TEXT, 'cust-zq7']) expect(summary).not.toContain(secret);
  });

  it('cuts e-mail addresses, phone numbers and duplicate key values out of error messages', () => {
    const err = new MongoServerError({ errmsg: `E11000 duplicate key error collection: users index: email_1 dup key: { email: "${EMAIL}" }`, code: 11000 });
    const summary = errorSummary(err) as { message: string; code: number };
    expect(summary.code).toBe(11000);
    expect(summary.message).toContain('duplicate key');
    expect(summary.message).not.toContain(EMAIL);
    expect(JSON.stringify(errorSummary(new Error(`cannot reach ${PHONE} or ${EMAIL}`)))).not.toMatch(/139 7707|zq7\.marker/);
  });
});

describe('what the service logger writes', () => {
  it('redacts variables, contact details and free text in log objects and SDK metadata', () => {
    const { lines, log } = capture();
    log.warn({ instanceId: 'pi-1', variables: { note: FREE_TEXT }, snapshot: { contact: { email: EMAIL } } }, 'projection write failed');
    log.info({ job: { input: { phone: PHONE, verbatim: FREE_TEXT } } }, 'job');
    new PinoTemporalLogger(log, 'TRACE').warn('Activity failed', { activityType: 'runJob', error: Object.assign(new Error('refused'), { op: { email: EMAIL } }) });
    log.info(`message naming ${EMAIL} and ${PHONE}`);
    // below the SDK's floor: not written
    new PinoTemporalLogger(log, 'WARN').debug('Activity started', { activityType: 'runJob' });
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain('"instanceId":"pi-1"');
    expect(lines[0]).toContain('"name":"complaint-bpm"');
    expect(lines[2]).toContain('"activityType":"runJob"');
    expect(lines[2]).toContain('"message":"refused"');
    for (const secret of [EMAIL, PHONE, FREE_TEXT]) expect(lines.join('\n')).not.toContain(secret);
  });
});

describe('FerretDB log lines', () => {
  it('lose the arguments of a failed statement and keep the rest', () => {
    const hex = Buffer.from(`{"email":"${EMAIL}"}`).toString('hex');
    const line = `2026-12-05T11:14:52.789Z\tERROR\tpostgresql/collection.go:217\tQuery\t{"args":{"0":"${hex}","1":"{\\"note\\":\\"${FREE_TEXT}\\"}"},"err":{"Code":"P0001","Message":"refused"},"name":"postgresql","pid":22195}`;
    const redacted = redactFerretdbArgs(line);
    expect(redacted).toContain('"args":"[redacted]","err":{"Code":"P0001","Message":"refused"},"name":"postgresql"');
    expect(redacted).not.toContain(hex);
    expect(redacted).not.toContain(FREE_TEXT);
    expect(redactFerretdbArgs('plain line')).toBe('plain line');
  });
});
