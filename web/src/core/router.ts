/**
 * Hash routes (`#/inbox/task-1`): the server serves one index.html, the browser keeps the
 * route. A page is loaded on demand (the designer's bpmn-js is not paid for by the inbox),
 * mounted into the main element and unmounted when the route changes.
 */
import { session } from './session';

/** What a page module exports as default. It may return a function that unmounts it. */
export type Page = (root: HTMLElement, params: Record<string, string>) => void | (() => void) | Promise<void | (() => void)>;

export interface Route {
  /** `/inbox/:taskId` — `:name` segments become params. */
  path: string;
  /** Who may open it: 'public', 'link' (a signed customer link or a customer), or roles. */
  access: 'public' | 'link' | readonly string[];
  load: () => Promise<{ default: Page }>;
  /** Shown in the navigation under this message key (only to those who may open it). */
  nav?: string;
}

export interface Match { route: Route; params: Record<string, string> }

export function currentPath(): string {
  const hash = location.hash.replace(/^#/, '').split('?')[0] ?? '';
  return hash === '' ? '/' : hash;
}

/** Query parameters of the hash (`#/complaints/C-1?token=…`). */
export function hashQuery(): URLSearchParams {
  return new URLSearchParams(location.hash.split('?')[1] ?? '');
}

export function match(routes: readonly Route[], path: string): Match | null {
  const parts = path.split('/').filter(Boolean);
  for (const route of routes) {
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((segment, i) => {
      const part = parts[i] ?? '';
      if (segment.startsWith(':')) {
        params[segment.slice(1)] = decodeURIComponent(part);
        return true;
      }
      return segment === part;
    });
    if (ok) return { route, params };
  }
  return null;
}

export function mayOpen(route: Route): boolean {
  if (route.access === 'public') return true;
  if (route.access === 'link') return session.isLink() || session.hasRole('customer', 'agent', 'supervisor', 'admin');
  return session.hasRole(...route.access);
}

export function navigate(path: string): void {
  location.hash = `#${path}`;
}
