/**
 * Every page of the app. Access mirrors the API's policy table (server/auth/policy.ts): the
 * page only hides what the API would refuse anyway.
 */
import type { Route } from './router';

const TASK_WORKERS = ['agent', 'engineer', 'supervisor', 'department_head', 'admin'];
const INSTANCE_READERS = ['operator', 'supervisor', 'compliance', 'admin', 'department_head'];
const COMPLAINT_FILERS = ['customer', 'agent', 'supervisor', 'admin'];
const SLA_READERS = ['operator', 'supervisor', 'department_head', 'compliance', 'admin'];
const COMPLIANCE_READERS = ['compliance', 'admin', 'supervisor', 'department_head'];
/** Managers: the analytics API (server/auth/policy.ts ANALYTICS_READERS). */
export const ANALYTICS_READERS = ['supervisor', 'department_head', 'admin'];

export const routes: readonly Route[] = [
  { path: '/login', access: 'public', load: () => import('../pages/login') },
  { path: '/designer', access: ['designer', 'admin'], nav: 'nav.designer', load: () => import('../pages/designer') },
  { path: '/designer/:key', access: ['designer', 'admin'], load: () => import('../pages/designer') },
  { path: '/inbox', access: TASK_WORKERS, nav: 'nav.inbox', load: () => import('../pages/inbox') },
  { path: '/inbox/:taskId', access: TASK_WORKERS, load: () => import('../pages/inbox') },
  { path: '/instances', access: INSTANCE_READERS, nav: 'nav.instances', load: () => import('../pages/instances') },
  { path: '/instances/:id', access: INSTANCE_READERS, load: () => import('../pages/instances/viewer') },
  { path: '/incidents', access: INSTANCE_READERS, nav: 'nav.incidents', load: () => import('../pages/incidents') },
  // Token modification is on the viewer; migrations have their page (decisions 0040, 0041): operators only, as the API.
  { path: '/migrations', access: ['operator', 'admin'], nav: 'nav.migrations', load: () => import('../pages/migrations') },
  { path: '/sla', access: SLA_READERS, nav: 'nav.sla', load: () => import('../pages/sla') },
  { path: '/compliance', access: COMPLIANCE_READERS, nav: 'nav.compliance', load: () => import('../pages/compliance') },
  { path: '/compliance/:id', access: COMPLIANCE_READERS, load: () => import('../pages/compliance/record') },
  { path: '/analytics', access: ANALYTICS_READERS, nav: 'nav.analytics', load: () => import('../pages/analytics') },
  { path: '/analytics/forecast', access: ANALYTICS_READERS, load: () => import('../pages/analytics/forecast') },
  // Filing needs a signed-in customer or staff (createComplaint); a signed link opens only its complaint's page.
  { path: '/complaints/new', access: COMPLAINT_FILERS, nav: 'nav.newComplaint', load: () => import('../pages/customer/newComplaint') },
  { path: '/complaints/:id', access: 'link', load: () => import('../pages/customer/complaint') },
  // An engineer's public profile (name, photo, rating, tags, comments): linked from the complaint page and the engineer choice.
  { path: '/engineers/:id', access: 'public', load: () => import('../pages/customer/engineerProfile') },
];

/** Where a signed-in user lands on `#/`. */
export function homePath(roles: readonly string[]): string {
  if (roles.includes('designer')) return '/designer';
  if (roles.some((r) => TASK_WORKERS.includes(r))) return '/inbox';
  if (roles.includes('compliance')) return '/compliance';
  if (roles.some((r) => INSTANCE_READERS.includes(r))) return '/instances';
  if (roles.includes('customer')) return '/complaints/new';
  return '/login';
}
