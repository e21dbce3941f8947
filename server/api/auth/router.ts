/** HTTP routes of /api/auth (login, logout, who am I) and /api/users (accounts, admin only). */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import type { z } from 'zod';
import { currentUser } from '../../auth/context';
import { bearerToken } from '../../auth/middleware';
import type { AuthService } from '../../auth/service';
import { addRoute } from '../../http/route';
import { errorResponse, validationErrorResponse } from '../../http/responses';
import { LoginBody, LoginResponse, NewUserBody, UserListQuery, UserPage, UserView } from './schemas';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const unauthenticated = errorResponse('No valid token (`unauthenticated`, `invalid_token`)');
const forbidden = errorResponse('Your roles do not allow this (`forbidden`)');

export function authRouter(service: AuthService, registry: OpenAPIRegistry): Router {
  const router = Router();

  addRoute(router, registry, {
    method: 'post', path: '/api/auth/login', operationId: 'login', tags: ['auth'],
    summary: 'Sign in with e-mail and password; the token is valid for AUTH_TOKEN_TTL_HOURS',
    body: { schema: LoginBody },
    responses: {
      200: { description: 'Signed in', ...json(LoginResponse) },
      400: validationErrorResponse,
      401: errorResponse('Unknown e-mail address or wrong password (one answer for both: `invalid_credentials`)'),
      429: errorResponse('Locked out after too many wrong passwords, or too many requests from this address (`too_many_requests`, with Retry-After)'),
    },
  }, async ({ body }, req, res) => {
    const { email, password } = body;
    const { token, expiresAt, user } = await service.login(email, password, req.ip ?? 'unknown');
    res.set('Cache-Control', 'no-store');
    res.json({ token, expiresAt: expiresAt.toISOString(), user: { id: user.id, email: user.email, name: user.name, roles: user.roles } });
  });

  addRoute(router, registry, {
    method: 'post', path: '/api/auth/logout', operationId: 'logout', tags: ['auth'],
    summary: 'End the session of the token sent',
    responses: { 204: { description: 'Signed out; the token no longer works' }, 401: unauthenticated },
  }, async (_input, req, res) => {
    await service.logout(bearerToken(req.headers.authorization) ?? '');
    res.status(204).end();
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/auth/me', operationId: 'getMe', tags: ['auth'],
    summary: 'The signed-in user, with roles, departments and groups',
    responses: { 200: { description: 'The user', ...json(UserView) }, 401: unauthenticated },
  }, (_input, req, res) => {
    res.json(currentUser(req));
  });

  addRoute(router, registry, {
    method: 'post', path: '/api/users', operationId: 'createUser', tags: ['auth'],
    summary: 'Create a user (admin)',
    body: { schema: NewUserBody },
    responses: {
      201: { description: 'Created', ...json(UserView) },
      400: validationErrorResponse,
      401: unauthenticated,
      403: forbidden,
      409: errorResponse('The e-mail address is in use (`email_taken`)'),
    },
  }, async ({ body }, req, res) => {
    const user = await service.createUser(body);
    res.status(201).json(user);
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/users', operationId: 'listUsers', tags: ['auth'],
    summary: 'List users by e-mail address (admin)',
    query: UserListQuery,
    responses: { 200: { description: 'A page of users', ...json(UserPage) }, 400: validationErrorResponse, 401: unauthenticated, 403: forbidden },
  }, async ({ query }, _req, res) => {
    const { items, total } = await service.listUsers(query.page, query.pageSize);
    res.json({ items, page: query.page, pageSize: query.pageSize, total });
  });

  return router;
}
