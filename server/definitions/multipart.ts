/**
 * A deployment as `multipart/form-data`, as Camunda's deploy request: one BPMN file
 * (`.bpmn`/`.xml`) and any number of `.form` files (linked forms) and `.dmn` files (decisions), in parts of any field name.
 * The whole body is already in memory (bounded by BPMN_MAX_BYTES); busboy splits it.
 */
import { Readable } from 'node:stream';
import type { IncomingHttpHeaders } from 'node:http';
import busboy from 'busboy';
import { Invalid } from '../domain/errors';

export interface DeployFiles {
  bpmn: { resourceName: string; bytes: Buffer };
  forms: Array<{ resourceName: string; bytes: Buffer }>;
  /** `.dmn` files: decisions of business rule tasks (decision 0036). */
  decisions: Array<{ resourceName: string; bytes: Buffer }>;
}

const MAX_FILES = 50;

export async function parseDeployMultipart(headers: Record<string, string | string[] | undefined>, body: Buffer): Promise<DeployFiles> {
  const files: Array<{ resourceName: string; bytes: Buffer }> = [];
  await new Promise<void>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: headers as IncomingHttpHeaders, limits: { files: MAX_FILES, fields: 0 } });
    } catch (err) {
      reject(new Invalid('invalid_request', `multipart body: ${(err as Error).message}`));
      return;
    }
    parser.on('file', (_field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => files.push({ resourceName: info.filename || 'unnamed', bytes: Buffer.concat(chunks) }));
    });
    parser.on('filesLimit', () => reject(new Invalid('invalid_request', `multipart body: at most ${MAX_FILES} files`)));
    parser.on('error', (err: Error) => reject(new Invalid('invalid_request', `multipart body: ${err.message}`)));
    parser.on('close', () => resolve());
    Readable.from([body]).pipe(parser);
  });
  const isBpmn = (name: string) => /\.(bpmn|xml)$/i.test(name);
  const bpmn = files.filter((f) => isBpmn(f.resourceName));
  const forms = files.filter((f) => /\.form$/i.test(f.resourceName));
  const decisions = files.filter((f) => /\.dmn$/i.test(f.resourceName));
  const other = files.filter((f) => !isBpmn(f.resourceName) && !/\.(form|dmn)$/i.test(f.resourceName));
  if (bpmn.length !== 1) throw new Invalid('invalid_request', `multipart body: exactly one .bpmn file is needed, got ${bpmn.length}`);
  if (other.length > 0) throw new Invalid('invalid_request', `multipart body: only .bpmn, .form and .dmn files are deployed, not '${other[0]!.resourceName}'`);
  return { bpmn: bpmn[0]!, forms, decisions };
}
