/** HTTP routes of four-eyes publishing (fourEyes.ts): list, approve and reject proposals. */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import { z } from 'zod';
import { currentUser } from '../auth/context';
import { addRoute } from '../http/route';
import { errorResponse, validationErrorResponse } from '../http/responses';
import { ProposalView, type FourEyes } from './fourEyes';

const ProposalParams = z.object({ id: z.string().regex(/^dpr-[0-9a-f-]{36}$/, 'a proposal id like dpr-<uuid>') });
const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

export function fourEyesRouter(fourEyes: FourEyes, registry: OpenAPIRegistry): Router {
  const router = Router();
  addRoute(router, registry, {
    method: 'get', path: '/api/definition-proposals', operationId: 'listDefinitionProposals', tags: ['definitions'],
    summary: 'Proposed changes to shipped or live processes, newest first (the four-eyes audit trail)',
    responses: { 200: { description: 'The latest 100 proposals', ...json(z.object({ items: z.array(ProposalView) })) } },
  }, async (_input, _req, res) => {
    res.json({ items: await fourEyes.list() });
  });
  addRoute(router, registry, {
    method: 'post', path: '/api/definition-proposals/{id}/approve', operationId: 'approveDefinitionProposal', tags: ['definitions'],
    summary: 'Approve and deploy a proposal: only a publisher other than the proposer',
    params: ProposalParams,
    responses: {
      201: { description: 'Approved and deployed', ...json(ProposalView) }, 400: validationErrorResponse, 404: errorResponse('No such proposal'),
      409: errorResponse('Already approved or rejected (`proposal_decided`)'),
    },
  }, async ({ params }, req, res) => {
    const { proposal } = await fourEyes.approve(params.id, currentUser(req).id);
    res.status(201).json(proposal);
  });
  addRoute(router, registry, {
    method: 'post', path: '/api/definition-proposals/{id}/reject', operationId: 'rejectDefinitionProposal', tags: ['definitions'],
    summary: 'Reject a proposal (any publisher, the proposer too)',
    params: ProposalParams,
    responses: { 200: { description: 'Rejected', ...json(ProposalView) }, 400: validationErrorResponse, 404: errorResponse('No such proposal'), 409: errorResponse('Already decided (`proposal_decided`)') },
  }, async ({ params }, req, res) => {
    res.json(await fourEyes.reject(params.id, currentUser(req).id));
  });
  return router;
}
