/**
 * The roles a user may hold (several at once). `integration` is a service account for
 * systems that deliver messages (e.g. a payment provider's webhook relay) and for external job
 * workers (the job API, server/jobs): it may do nothing else, so a leaked integration token
 * cannot read complaints (a worker sees the variables of the jobs it activates).
 */
import { z } from 'zod';

export const ROLES = [
  'customer',
  'agent',
  'engineer',
  'supervisor',
  'department_head',
  'designer',
  'operator',
  'compliance',
  'admin',
  'integration',
] as const;

export type Role = (typeof ROLES)[number];

export const RoleSchema = z.enum(ROLES);

/** Roles of people who work complaints (they carry departments and candidate groups). */
export const STAFF_ROLES: readonly Role[] = ['agent', 'engineer', 'supervisor', 'department_head'];
