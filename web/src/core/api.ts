/**
 * The HTTP API from the browser: JSON in, JSON out, the session's bearer token on every call,
 * and every failure as an ApiError carrying the server's error code and field paths (or BPMN
 * element ids), so pages can show them next to the field or element at fault.
 */
import { session } from './session';

export interface FieldProblem { path: string; message: string }

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The whole error body: `fields`, `problems` (BPMN element ids) and whatever else the route adds. */
    readonly body: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get fields(): FieldProblem[] {
    return Array.isArray(this.body.fields) ? (this.body.fields as FieldProblem[]) : [];
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

function headers(extra: Record<string, string>): Record<string, string> {
  const token = session.token();
  return { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...extra };
}

async function answer<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { error: 'not_json', message: text.slice(0, 200) };
  }
  if (!response.ok) {
    const record = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    if (response.status === 401) session.expired();
    throw new ApiError(response.status, String(record.error ?? `http_${response.status}`), String(record.message ?? response.statusText), record);
  }
  return body as T;
}

/** A JSON request; `body` is sent as JSON unless it is FormData or a string (sent as given with `contentType`). */
export async function request<T>(method: string, path: string, options: { body?: unknown; query?: Query; contentType?: string; headers?: Record<string, string> } = {}): Promise<T> {
  const { body } = options;
  const extra = options.headers ?? {};
  const init: RequestInit = { method, headers: headers(extra) };
  if (body instanceof FormData) {
    init.body = body;
  } else if (typeof body === 'string') {
    init.body = body;
    init.headers = headers({ ...extra, 'Content-Type': options.contentType ?? 'text/plain' });
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = headers({ ...extra, 'Content-Type': 'application/json' });
  }
  return answer<T>(await fetch(withQuery(path, options.query), init));
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
  /** A file as the raw request body (its own Content-Type), e.g. a photo for the attachments route. */
  async upload<T>(path: string, file: Blob, query?: Query): Promise<T> {
    const init: RequestInit = { method: 'POST', body: file, headers: headers({ 'Content-Type': file.type || 'application/octet-stream' }) };
    return answer<T>(await fetch(withQuery(path, query), init));
  },
  /**
   * A file (e.g. a complaint's photo) with the session's token in the header, for an
   * `<img src>` or `<a href>` through `URL.createObjectURL`: a plain link cannot send a Bearer
   * token, and the token stays out of URLs, history and logs.
   */
  async blob(path: string): Promise<Blob> {
    const response = await fetch(path, { headers: headers({ Accept: '*/*' }) });
    if (!response.ok) await answer(response);
    return response.blob();
  },
  /** Raw text (e.g. BPMN XML) with the session's token. */
  async text(path: string): Promise<string> {
    const response = await fetch(path, { headers: headers({ Accept: '*/*' }) });
    if (!response.ok) await answer(response);
    return response.text();
  },
};
