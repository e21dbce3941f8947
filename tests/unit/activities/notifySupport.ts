/**
 * Local stand-ins for the notification tests: a real SMTP server (smtp-server) on
 * 127.0.0.1 port 0 that records envelopes and raw messages, and a minimal MIME reader
 * for what it received.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerAddress } from 'smtp-server';

export interface ReceivedMail {
  mailFrom: string;
  rcptTo: string[];
  raw: string;
}

export interface SmtpStandIn {
  port: number;
  /** `smtp://127.0.0.1:<port>`, with `user:pass@` when the server requires a login. */
  url: string;
  received: ReceivedMail[];
  logins: Array<{ username?: string; password?: string | null }>;
  close(): Promise<void>;
}

/** A reply the server gives instead of accepting: `{ code: 550, message: '...' }`. */
export interface Refusal {
  code: number;
  message: string;
}

export interface SmtpOptions {
  auth?: { user: string; pass: string };
  /** Refuse this recipient at RCPT TO. */
  refuseRecipient?: (address: string) => Refusal | undefined;
  /** Refuse the message after DATA. */
  refuseData?: Refusal;
  /** Never answer the end of DATA (a server that hangs). */
  hangOnData?: boolean;
}

function refusal(r: Refusal): Error {
  return Object.assign(new Error(r.message), { responseCode: r.code });
}

export async function startSmtp(options: SmtpOptions = {}): Promise<SmtpStandIn> {
  const received: ReceivedMail[] = [];
  const logins: SmtpStandIn['logins'] = [];
  const server = new SMTPServer({
    logger: false,
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !options.auth,
    onAuth(auth, _session, callback) {
      logins.push({ username: auth.username, password: auth.password });
      if (auth.username === options.auth?.user && auth.password === options.auth?.pass) return callback(null, { user: auth.username });
      return callback(refusal({ code: 535, message: 'Authentication credentials invalid' }));
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const refused = options.refuseRecipient?.(address.address);
      callback(refused ? refusal(refused) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (options.hangOnData) return;
        if (options.refuseData) return callback(refusal(options.refuseData));
        const from = session.envelope.mailFrom;
        received.push({
          mailFrom: from ? from.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback(null);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const login = options.auth ? `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.pass)}@` : '';
  return {
    port,
    url: `smtp://${login}127.0.0.1:${port}`,
    received,
    logins,
    close: () =>
      new Promise<void>((resolve) => {
        for (const connection of server.connections) connection.close();
        server.close(() => resolve());
      }),
  };
}

export interface ParsedPart {
  /** Lower-cased names, folded lines joined. */
  headers: Record<string, string>;
  /** Decoded (quoted-printable / base64) text. */
  body: string;
  parts: ParsedPart[];
}

function decode(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable': {
      const escaped = body.replace(/=\r?\n/g, '').replace(/%/g, '%25').replace(/=([0-9A-F]{2})/gi, '%$1');
      return decodeURIComponent(escaped);
    }
    default:
      return body;
  }
}

/** Enough MIME for the messages nodemailer writes: headers, bodies, nested multiparts. */
export function parseMime(raw: string): ParsedPart {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const rest = split < 0 ? '' : raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const boundary = /multipart\/[^;]+;.*boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  if (!boundary) return { headers, body: decode(rest, headers['content-transfer-encoding']).replace(/\r\n$/, ''), parts: [] };
  const parts = rest
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((p) => parseMime(p.replace(/^\r\n/, '')));
  return { headers, body: '', parts };
}

/** The first part (depth first) of this content type. */
export function partOfType(mail: ParsedPart, type: string): ParsedPart | undefined {
  if ((mail.headers['content-type'] ?? 'text/plain').toLowerCase().startsWith(type)) return mail;
  for (const p of mail.parts) {
    const found = partOfType(p, type);
    if (found) return found;
  }
  return undefined;
}
