/**
 * HTTP_ALLOWED_HOSTS matching. Entries (case-insensitive):
 * - `api.example.com`       that host on any port
 * - `api.example.com:8443`  that host on that port only
 * - `*.example.com`         any subdomain (not example.com itself)
 * - `127.0.0.1`, `[::1]`, `localhost`  loopback is reachable only when listed like this
 * Matching is by name: there is no catch-all and no DNS resolution.
 */

interface HostRule {
  host: string;
  wildcard: boolean;
  port?: string;
}

function trimDot(host: string): string {
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

function parseRule(entry: string): HostRule | undefined {
  let text = entry.trim().toLowerCase();
  if (!text) return undefined;
  let port: string | undefined;
  const portMatch = /^(.*?):(\d+)$/.exec(text);
  // A bare IPv6 address has colons but no brackets: never read its last group as a port.
  if (portMatch?.[1] && (!portMatch[1].includes(':') || portMatch[1].startsWith('['))) {
    text = portMatch[1];
    port = String(Number(portMatch[2]));
  }
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const wildcard = text.startsWith('*.');
  const host = trimDot(wildcard ? text.slice(2) : text);
  return host ? { host, wildcard, ...(port ? { port } : {}) } : undefined;
}

function effectivePort(url: URL): string {
  if (url.port) return url.port;
  return url.protocol === 'https:' ? '443' : '80';
}

export function isHostAllowed(url: URL, allowedHosts: readonly string[]): boolean {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  let host = trimDot(url.hostname.toLowerCase());
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const port = effectivePort(url);
  return allowedHosts.some((entry) => {
    const rule = parseRule(entry);
    if (!rule) return false;
    if (rule.port !== undefined && rule.port !== port) return false;
    return rule.wildcard ? host.endsWith(`.${rule.host}`) : host === rule.host;
  });
}
