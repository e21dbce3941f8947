import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import { addRoute } from '../../../server/http/route';
import { assertEveryOperationHasPolicy, MissingPolicyError, POLICIES, policyFor } from '../../../server/auth/policy';
import { ROLES } from '../../../server/auth/roles';

describe('access policies (deny by default)', () => {
  it('refuses at start-up to mount an operation that has no policy', () => {
    // given
    const router = Router();
    const registry = new OpenAPIRegistry();
    // when
    const mount = () => addRoute(router, registry, {
      method: 'get', path: '/api/forgotten', operationId: 'forgottenOperation', summary: 'x', tags: [], responses: { 200: { description: 'ok' } },
    }, (_input, _req, res) => { res.end(); });
    // then
    expect(mount).toThrow(MissingPolicyError);
    expect(mount).toThrow(/forgottenOperation.*server\/auth\/policy\.ts/);
    expect(router.stack).toHaveLength(0);
  });

  it('refuses an operation documented outside addRoute without a policy', () => {
    // given
    const registry = new OpenAPIRegistry();
    registry.registerPath({ method: 'get', path: '/api/health', operationId: 'getHealth', responses: { 200: { description: 'ok' } } });
    registry.registerPath({ method: 'get', path: '/api/raw', operationId: 'rawOperation', responses: { 200: { description: 'ok' } } });
    // when / then
    expect(() => assertEveryOperationHasPolicy(registry)).toThrow(/rawOperation/);
  });

  it('does not treat inherited object keys as policies', () => {
    expect(() => policyFor('toString')).toThrow(MissingPolicyError);
    expect(() => policyFor('constructor')).toThrow(MissingPolicyError);
  });

  it('names only known roles', () => {
    // given
    const named = Object.values(POLICIES).flatMap((p) => (typeof p === 'string' ? [] : p));
    // then
    expect(named.filter((r) => !ROLES.includes(r))).toEqual([]);
    expect(Object.values(POLICIES).filter((p) => typeof p !== 'string' && p.length === 0)).toEqual([]);
  });
});
