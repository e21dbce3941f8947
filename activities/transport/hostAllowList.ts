/**
 * HTTP_ALLOWED_HOSTS matching. Entries (case-insensitive):
 * - `api.example.com`       that host on any port
 * - `api.example.com:8443`  that host on that port only
 * - `*.example.com`         any subdomain (not example.com itself)
 * - `127.0.0.1`, `[::1]`, `localhost`  loopback is reachable only when listed like this
 * Matching is by name: there is no catch-all and no DNS resolution. Addresses are compared
 * after normalisation on both sides (the entry and the URL): IPv4 in decimal, octal or hex
 * (`2130706433`, `0177.0.0.1`, `0x7f.1`) is the dotted form, an IPv4-mapped IPv6 address
 * (`[::ffff:127.0.0.1]`) is its IPv4, IPv6 is in its short form, trailing dots are dropped.
 */
import ipaddr from 'ipaddr.js';

interface HostRule {
  host: string;
  wildcard: boolean;
  port?: string;
}

function trimDot(host: string): string {
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

/**
 * One spelling per address: the WHATWG host parser turns the IPv4 forms into dotted decimal
 * (as the request itself will use it); ipaddr.js gives IPv6 its short form and unmaps IPv4.
 */
export function normaliseHost(raw: string): string {
  let host = trimDot(raw.trim().toLowerCase());
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (ipaddr.IPv6.isValid(host)) {
    const v6 = ipaddr.IPv6.parse(host);
    return v6.isIPv4MappedAddress() ? v6.toIPv4Address().toString() : v6.toString();
  }
  try {
    const parsed = trimDot(new URL(`http://${host}/`).hostname);
    return parsed || host;
  } catch {
    return host;
  }
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
  const name = trimDot(wildcard ? text.slice(2) : text);
  if (!name) return undefined;
  return { host: wildcard ? name : normaliseHost(name), wildcard, ...(port ? { port } : {}) };
}

function effectivePort(url: URL): string {
  if (url.port) return url.port;
  return url.protocol === 'https:' ? '443' : '80';
}

export function isHostAllowed(url: URL, allowedHosts: readonly string[]): boolean {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = normaliseHost(url.hostname);
  const port = effectivePort(url);
  return allowedHosts.some((entry) => {
    const rule = parseRule(entry);
    if (!rule) return false;
    if (rule.port !== undefined && rule.port !== port) return false;
    return rule.wildcard ? host.endsWith(`.${rule.host}`) : host === rule.host;
  });
}
