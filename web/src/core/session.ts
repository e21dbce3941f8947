/**
 * Who is signed in: the bearer token and the user from POST /api/auth/login, kept in
 * localStorage so a reload stays signed in; or a customer's signed link token (`?token=` in
 * the page address), which grants one complaint only and is never stored.
 */
export interface SessionUser { id: string; email: string; name?: string; roles: string[]; groups?: string[] }

const TOKEN_KEY = 'complaint-bpm.token';
const USER_KEY = 'complaint-bpm.user';
const listeners = new Set<() => void>();

function readUser(): SessionUser | null {
  try {
    const raw = localStorage.getItem(USER_KEY);
    return raw ? (JSON.parse(raw) as SessionUser) : null;
  } catch {
    return null;
  }
}

function linkToken(): string | null {
  const fromHash = new URLSearchParams(location.hash.split('?')[1] ?? '').get('token');
  return fromHash ?? new URLSearchParams(location.search).get('token');
}

export const session = {
  token(): string | null {
    return linkToken() ?? localStorage.getItem(TOKEN_KEY);
  },
  user(): SessionUser | null {
    return readUser();
  },
  /** True when the page was opened from a customer's signed link. */
  isLink(): boolean {
    return linkToken() !== null;
  },
  hasRole(...roles: string[]): boolean {
    const user = readUser();
    return !!user && user.roles.some((r) => roles.includes(r));
  },
  signIn(token: string, user: SessionUser): void {
    localStorage.setItem(TOKEN_KEY, token);
    localStorage.setItem(USER_KEY, JSON.stringify(user));
    listeners.forEach((l) => l());
  },
  signOut(): void {
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(USER_KEY);
    listeners.forEach((l) => l());
  },
  /** A 401: the token is gone or expired. */
  expired(): void {
    if (!linkToken() && localStorage.getItem(TOKEN_KEY)) session.signOut();
  },
  onChange(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
