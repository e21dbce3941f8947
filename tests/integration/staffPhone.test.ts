/**
 * Staff on a phone (issue 14 item 5, decision 0051) over HTTP on the real Temporal dev server
 * and database: video clips with a poster frame, uploads, promises, completions and reopens
 * named by the session's person, completion notes on the timeline, SLA clocks with their
 * policy's name, and who may reopen. Searching work orders: staffPhoneSearch.test.ts.
 */
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { eventually, startStack, type Stack } from '../support/stack';
import { TEST_PASSWORD } from '../support/auth';
import { complete, completeDepartmentWork, intake, openTask, statusIs, type ComplaintDetail } from './complaintSupport';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
/** The first bytes of a WebM file (EBML header with DocType "webm"), enough for the sniffer. */
const WEBM = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84]), Buffer.from('webm'), Buffer.alloc(200, 1)]);
/** An MP4 `ftyp` box (brand isom). */
const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(300, 2)]);
const VIDEO_MAX = 64 * 1024;

interface Attachment { id: string; contentType: string; by?: string | null; byName?: string | null; thumbnail?: { contentType: string; size: number } | null; thumbnailHref?: string | null }
interface Clock { policyId: string; policyName: string; clockKey: string }
type Detail = ComplaintDetail & {
  timeline: Array<{ who: string; name?: string; what: string }>;
  attachments: Attachment[];
  commitments: Array<{ id: string; status: string; by?: string; byName?: string | null }>;
  slaClocks: Clock[];
};
interface Problem { error: string; fields?: Array<{ path: string; message: string }> }

describe('staff on a phone', () => {
  let stack: Stack;
  let engineerToken: string;
  let engineer: { id: string; name: string };
  let agent: { id: string; name: string };
  let agentToken: string;

  beforeAll(async () => {
    stack = await startStack({ complaints: { videoMaxBytes: VIDEO_MAX } });
    await deployShippedProcesses(stack.services.definitions);
    const e = await stack.createUser({ roles: ['engineer'], groups: ['technical'], staffId: 'S-phone-eng', name: 'Erin Engineer' });
    engineer = e;
    engineerToken = (await stack.login(e.email, TEST_PASSWORD)).token;
    const a = await stack.createUser({ roles: ['agent'], groups: ['after-sales', 'dispatch'], name: 'Ada Agent' });
    agent = a;
    agentToken = (await stack.login(a.email, TEST_PASSWORD)).token;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const upload = (token: string, path: string, body: Buffer, type: string) =>
    fetch(`${stack.url}${path}`, { method: 'POST', body: new Uint8Array(body), headers: { 'content-type': type, authorization: `Bearer ${token}` } });
  const asAgent = <T>(method: string, path: string, body?: unknown) =>
    fetch(`${stack.url}${path}`, { method, headers: { authorization: `Bearer ${agentToken}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined })
      .then(async (r) => ({ status: r.status, body: (await r.json()) as T }));

  it('keeps video clips with their poster frame, place and time, and names who uploaded what', async () => {
    const id = (await stack.api<{ id: string }>('POST', '/api/complaints', intake('cust-phone-video'))).body.id;
    const base = `/api/complaints/${id}/attachments`;
    // a technician's photo and clip are theirs, by name (the photo was logged as the customer's before)
    const photo = await upload(engineerToken, `${base}?filename=meter.png`, PNG, 'image/png');
    expect(photo.status).toBe(201);
    const clip = await upload(engineerToken, `${base}?filename=leak.webm&lat=52.52&lon=13.405&takenAt=2026-12-05T10:00:00Z`, WEBM, 'video/webm');
    expect(clip.status).toBe(201);
    const stored = (await clip.json()) as Attachment & { geo: unknown; takenAt: string };
    expect(stored).toMatchObject({ contentType: 'video/webm', by: `staff:${engineer.id}`, byName: 'Erin Engineer', thumbnail: null, geo: { lat: 52.52, lon: 13.405 }, takenAt: '2026-12-05T10:00:00.000Z' });
    expect((await upload(engineerToken, `${base}?filename=clip.mp4`, MP4, 'video/mp4')).status).toBe(201);
    const quicktime = Buffer.concat([Buffer.from([0, 0, 0, 0x14]), Buffer.from('ftypqt  '), Buffer.alloc(100, 3)]);
    expect((await upload(engineerToken, `${base}?filename=clip.mov`, quicktime, 'video/quicktime')).status).toBe(201);
    // an MP4 is not QuickTime, nor the other way round
    expect((await upload(engineerToken, `${base}?filename=clip.mov`, MP4, 'video/quicktime')).status).toBe(415);
    expect((await upload(engineerToken, `${base}?filename=clip.mp4`, quicktime, 'video/mp4')).status).toBe(415);
    // the content must be what it claims, and a clip stays under its own limit
    expect((await upload(engineerToken, `${base}?filename=fake.mp4`, PNG, 'video/mp4')).status).toBe(415);
    expect((await upload(engineerToken, `${base}?filename=x.avi`, MP4, 'video/x-msvideo')).status).toBe(415);
    const big = await upload(engineerToken, `${base}?filename=long.webm`, Buffer.concat([WEBM, Buffer.alloc(VIDEO_MAX)]), 'video/webm');
    expect(big.status).toBe(413);
    // the poster frame: an image, for a video only, once
    const thumb = `${base}/${stored.id}/thumbnail`;
    expect((await upload(engineerToken, thumb, WEBM, 'image/jpeg')).status).toBe(415);
    const photoId = ((await photo.json()) as Attachment).id;
    const notVideo = await upload(engineerToken, `${base}/${photoId}/thumbnail`, JPEG, 'image/jpeg');
    expect([notVideo.status, ((await notVideo.json()) as Problem).error]).toEqual([409, 'not_a_video']);
    expect((await stack.api('GET', thumb)).status).toBe(404);
    expect((await upload(engineerToken, thumb, JPEG, 'image/jpeg')).status).toBe(201);
    expect((await upload(engineerToken, thumb, JPEG, 'image/jpeg')).status).toBe(409);
    const served = await fetch(`${stack.url}${thumb}`, { headers: { authorization: `Bearer ${engineerToken}` } });
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await served.arrayBuffer()).equals(JPEG)).toBe(true);
    const clipBytes = await fetch(`${stack.url}${base}/${stored.id}`, { headers: { authorization: `Bearer ${engineerToken}` } });
    expect(clipBytes.headers.get('content-type')).toBe('video/webm');
    expect(Buffer.from(await clipBytes.arrayBuffer()).equals(WEBM)).toBe(true);

    const detail = (await stack.api<Detail>('GET', `/api/complaints/${id}`)).body;
    const listed = detail.attachments.find((a) => a.id === stored.id)!;
    expect(listed).toMatchObject({ thumbnail: { contentType: 'image/jpeg', size: JPEG.length }, thumbnailHref: thumb, byName: 'Erin Engineer' });
    const entry = detail.timeline.find((e) => e.what === `attachment added (image/png, ${PNG.length} bytes)`)!;
    expect(entry).toMatchObject({ who: `staff:${engineer.id}`, name: 'Erin Engineer' });
    // the customer sees the evidence and that it was added, not who on the staff added it
    const link = await stack.api<{ token: string }>('POST', `/api/complaints/${id}/customer-link`, {});
    const customer = await fetch(`${stack.url}/api/complaints/${id}`, { headers: { authorization: `Bearer ${link.body.token}` } });
    const view = (await customer.json()) as Detail;
    expect(view.attachments.find((a) => a.id === stored.id)).toMatchObject({ by: null, byName: null, thumbnailHref: thumb });
    expect(view.timeline.filter((e) => e.what.startsWith('attachment added')).map((e) => [e.who, (e as { name?: string }).name])).toEqual(Array.from({ length: 4 }, () => ['service', undefined]));
    // a customer's own upload is theirs
    const own = await fetch(`${stack.url}${base}?filename=mine.png`, { method: 'POST', body: new Uint8Array(PNG), headers: { 'content-type': 'image/png', authorization: `Bearer ${link.body.token}` } });
    expect(own.status).toBe(201);
    const after = (await stack.api<Detail>('GET', `/api/complaints/${id}`)).body;
    expect(after.attachments.at(-1)).toMatchObject({ by: 'customer:cust-phone-video', byName: null });
  });

  it('names who promised, who completed with their note, and the SLA clock by its policy', async () => {
    const id = (await stack.api<{ id: string }>('POST', '/api/complaints', intake('cust-phone-promise'))).body.id;
    // a promise is the agent's, not the owner department's
    const promised = await asAgent<{ id: string; by: string; byName: string }>('POST', `/api/complaints/${id}/commitments`, {
      kind: 'call-back', description: 'Call back tomorrow', dueAt: new Date(Date.now() + 86_400_000).toISOString(), ownerDepartment: 'finance',
    });
    expect(promised.status).toBe(201);
    expect(promised.body).toMatchObject({ by: `staff:${agent.id}`, byName: 'Ada Agent' });
    // the completion note reaches the timeline, with the name of who completed
    const dispatch = await openTask(stack, id, 'Dispatch');
    const done = await asAgent<{ noted: boolean }>('POST', `/api/tasks/${dispatch.id}/complete`, { variables: { assignee: 'S-phone-eng' }, note: 'Engineer on site by noon' });
    expect(done).toEqual({ status: 200, body: { id: dispatch.id, state: 'completed', noted: true } });
    expect((await stack.api<Problem>('POST', `/api/tasks/${dispatch.id}/complete`, { note: '' })).status).toBe(400);
    const detail = await eventually<Detail>(stack, `/api/complaints/${id}`, (c) => c.slaClocks.length > 0 && c.timeline.some((e) => e.what.startsWith('completed')), 'note and clocks');
    expect(detail.commitments[0]).toMatchObject({ by: `staff:${agent.id}`, byName: 'Ada Agent' });
    expect(detail.timeline.find((e) => e.what === 'commitment made: call-back')).toMatchObject({ who: `staff:${agent.id}`, name: 'Ada Agent' });
    expect(detail.timeline.find((e) => e.what.startsWith('completed'))).toMatchObject({
      who: `staff:${agent.id}`, name: 'Ada Agent', what: "completed 'Dispatch to an engineer': Engineer on site by noon",
    });
    // the clocks carry the shipped policies' names
    expect(Object.fromEntries(detail.slaClocks.map((c) => [c.policyId, c.policyName]))).toMatchObject({ 'first-response': 'First response', resolution: 'Resolution' });
    // the customer still sees the promise, not the staff's note
    const link = await stack.api<{ token: string }>('POST', `/api/complaints/${id}/customer-link`, {});
    const view = (await (await fetch(`${stack.url}/api/complaints/${id}`, { headers: { authorization: `Bearer ${link.body.token}` } })).json()) as Detail;
    expect(view.timeline.map((e) => e.what)).toContain('commitment made: call-back');
    expect(view.timeline.some((e) => e.what.startsWith('completed'))).toBe(false);
    expect(view.commitments[0]).toMatchObject({ by: null, byName: null });
  });

  it('lets agents, supervisors, department heads and admins reopen a resolved complaint or alert work order, not engineers or operators', async () => {
    const id = (await stack.api<{ id: string }>('POST', '/api/complaints', intake('cust-phone-reopen'))).body.id;
    const reason = { reason: 'The customer called: still broken' };
    expect((await stack.as('engineer')('POST', `/api/complaints/${id}/reopen`, reason)).status).toBe(403);
    expect((await stack.as('operator')('POST', `/api/complaints/${id}/reopen`, reason)).status).toBe(403);
    // the same roles reopen a closed alert work order (an engineer may not, whatever the feedback)
    expect((await stack.as('engineer')('POST', '/api/feedback/fb-00000000-0000-4000-8000-000000000000/reopen', reason)).status).toBe(403);
    expect((await stack.as('department_head')('POST', '/api/feedback/fb-00000000-0000-4000-8000-000000000000/reopen', reason)).status).toBe(404);
    // admitted by role; the complaint is not resolved yet, so the answer is the state's
    const head = await stack.as('department_head')<Problem>('POST', `/api/complaints/${id}/reopen`, reason);
    expect([head.status, head.body.error]).toEqual([409, 'not_awaiting_evaluation']);
  });
  it('lets supervisors, department heads and admins close a resolved complaint without the evaluation, with the reason on the timeline', async () => {
    const id = (await stack.api<{ id: string }>('POST', '/api/complaints', intake('cust-phone-close'))).body.id;
    const reason = { reason: 'Customer confirmed by phone that the kettle works' };
    const head = await stack.createUser({ roles: ['department_head'], name: 'Dana Head' });
    const headApi = (await stack.login(head.email, TEST_PASSWORD)).api;
    // not before it is resolved
    const early = await headApi<Problem>('POST', `/api/complaints/${id}/close`, reason);
    expect([early.status, early.body.error]).toEqual([409, 'not_awaiting_evaluation']);
    await complete(stack, stack.api, id, 'Dispatch', { assignee: 'eng-close' });
    await complete(stack, stack.api, id, 'FirstResponse');
    await completeDepartmentWork(stack, stack.api, id);
    await complete(stack, stack.api, id, 'ResolutionSummary', {});
    await statusIs(stack, id, 'awaiting_evaluation');
    // agents and engineers may not; an empty reason is refused with its field
    expect((await asAgent('POST', `/api/complaints/${id}/close`, reason)).status).toBe(403);
    expect((await stack.as('engineer')('POST', `/api/complaints/${id}/close`, reason)).status).toBe(403);
    const empty = await headApi<Problem>('POST', `/api/complaints/${id}/close`, { reason: ' ' });
    expect([empty.status, empty.body.fields?.map((f) => f.path)]).toEqual([400, ['reason']]);
    // a department head closes it: the process checks the commitments and closes, the timeline says who and why
    const closed = await headApi<{ closeRequested: boolean }>('POST', `/api/complaints/${id}/close`, reason);
    expect(closed).toEqual({ status: 202, body: { id, closeRequested: true } });
    const after = await statusIs(stack, id, 'closed') as Detail;
    expect(after.evaluations).toEqual([]);
    expect(after.timeline.find((e) => e.what.startsWith('closed by staff'))).toMatchObject({
      who: `staff:${head.id}`, name: 'Dana Head', what: "closed by staff without the customer's evaluation: Customer confirmed by phone that the kettle works",
    });
    expect(after.timeline.map((e) => e.what)).toContain('closed');
    // closed is closed: a second close is the state's answer
    const again = await headApi<Problem>('POST', `/api/complaints/${id}/close`, reason);
    expect([again.status, again.body.error]).toEqual([409, 'not_awaiting_evaluation']);
  });
});
