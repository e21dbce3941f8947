/**
 * Streams an export (GET /api/compliance/export) with progress: the total comes first in the
 * `X-Export-Total` header, then each complaint arrives as a JSON line (or an HTML article); the
 * count of those received so far is the progress. The file is saved when the stream ends.
 */
import { ApiError, withQuery, type Query } from '../../core/api';
import { session } from '../../core/session';

export interface ExportProgress { done: number; total: number }

export async function streamExport(query: Query, onProgress: (p: ExportProgress) => void): Promise<{ file: string; total: number }> {
  const token = session.token();
  const response = await fetch(withQuery('/api/compliance/export', query), { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!response.ok || !response.body) {
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    throw new ApiError(response.status, String(body.error ?? `http_${response.status}`), String(body.message ?? response.statusText), body);
  }
  const total = Number(response.headers.get('x-export-total') ?? '0');
  const file = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'export';
  const marker = query.format === 'html' ? '<article ' : '{"type":"complaint"';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parts: BlobPart[] = [];
  let done = 0;
  let buffer = '';
  onProgress({ done, total });
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) break;
    parts.push(chunk.value);
    buffer += decoder.decode(chunk.value, { stream: true });
    for (let at = buffer.indexOf(marker); at !== -1; at = buffer.indexOf(marker)) {
      done += 1;
      buffer = buffer.slice(at + marker.length);
    }
    // What is left may hold the start of a marker cut between two chunks.
    buffer = buffer.slice(-(marker.length - 1));
    onProgress({ done: Math.min(done, total), total });
  }
  // A complete export ends with its end line (JSON) or its footer (HTML); an error entry or a cut connection does not.
  const last = await new Blob(parts).slice(-400).text();
  if (!(query.format === 'html' ? /<footer>[\s\S]*<\/html>\s*$/.test(last) : /"type":"end"[^\n]*\n?$/.test(last))) {
    throw new ApiError(502, 'export_incomplete', 'The export stopped before its end; retry it', {});
  }
  const url = URL.createObjectURL(new Blob(parts, { type: response.headers.get('content-type') ?? 'application/octet-stream' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { file, total };
}
