/** Request and response shapes of /api/auth and /api/users. */
import { z } from 'zod';
import { ROLES, RoleSchema } from '../../auth/roles';

const Email = z.string().trim().min(3).max(320).email();
const Names = z.array(z.string().trim().min(1).max(100)).max(50);

export const LoginBody = z.object({
  email: z.string().trim().min(1).max(320),
  // Bounded so a huge "password" cannot make scrypt hash megabytes.
  password: z.string().min(1).max(1024),
}).strict();

export const UserView = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  roles: z.array(RoleSchema),
  departments: z.array(z.string()),
  groups: z.array(z.string()).meta({ description: 'Candidate groups the user works in' }),
  staffId: z.string().nullable(),
  customerId: z.string().nullable(),
}).meta({ id: 'User' });

export const LoginResponse = z.object({
  token: z.string().meta({ description: 'Send as `Authorization: Bearer <token>`; shown only here' }),
  expiresAt: z.string(),
  user: z.object({ id: z.string(), email: z.string(), name: z.string(), roles: z.array(RoleSchema) }),
}).meta({ id: 'LoginResponse' });

export const NewUserBody = z.object({
  email: Email,
  name: z.string().trim().min(1).max(200),
  password: z.string().min(12, 'at least 12 characters').max(1024),
  roles: z.array(RoleSchema).min(1).max(ROLES.length),
  departments: Names.optional(),
  groups: Names.optional(),
  staffId: z.string().trim().min(1).max(100).optional(),
  customerId: z.string().trim().min(1).max(100).optional(),
}).strict().superRefine((u, ctx) => {
  if (u.roles.includes('customer') && !u.customerId) {
    ctx.addIssue({ code: 'custom', path: ['customerId'], message: 'a customer needs a customerId' });
  }
});

export const UserListQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const UserPage = z.object({ items: z.array(UserView), page: z.number(), pageSize: z.number(), total: z.number() });
