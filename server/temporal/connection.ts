/**
 * Connecting to Temporal: the embedded dev server, a self-hosted cluster (optionally mTLS), or
 * Temporal Cloud (API key). Also registers the custom search attributes a namespace needs.
 */
import fs from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { DataConverter, SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { customSearchAttributes } from '../../workflows/searchAttributes';
import type { Config } from '../config';

export interface TemporalTarget {
  address: string;
  namespace: string;
  tls?: ConnectionOptions['tls'];
  apiKey?: string;
}

export function temporalTarget(config: Config, address: string): TemporalTarget {
  const read = (file: string | undefined) => (file ? fs.readFileSync(file) : undefined);
  const cert = read(config.TEMPORAL_TLS_CERT_PATH);
  const key = read(config.TEMPORAL_TLS_KEY_PATH);
  const ca = read(config.TEMPORAL_TLS_CA_PATH);
  // API keys (Temporal Cloud) always travel over TLS.
  const tlsWanted = config.TEMPORAL_TLS ?? Boolean(cert || ca || config.TEMPORAL_API_KEY);
  const tls: ConnectionOptions['tls'] = tlsWanted
    ? {
        ...(cert && key ? { clientCertPair: { crt: cert, key } } : {}),
        ...(ca ? { serverRootCACertificate: ca } : {}),
        ...(config.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME } : {}),
      }
    : undefined;
  return { address, namespace: config.TEMPORAL_NAMESPACE, tls, apiKey: config.TEMPORAL_API_KEY };
}

/** `dataConverter`: the service's encrypting one (payloadCodec.ts); every client of the service passes it. */
export async function connectClient(target: TemporalTarget, dataConverter?: DataConverter): Promise<Client> {
  const connection = await Connection.connect({ address: target.address, tls: target.tls, apiKey: target.apiKey });
  return new Client({ connection, namespace: target.namespace, ...(dataConverter ? { dataConverter } : {}) });
}

export function connectWorker(target: TemporalTarget): Promise<NativeConnection> {
  const options: NativeConnectionOptions = { address: target.address, tls: target.tls, apiKey: target.apiKey };
  return NativeConnection.connect(options);
}

const GRPC_UNIMPLEMENTED = 12;
const GRPC_ALREADY_EXISTS = 6;
const IVT = temporal.api.enums.v1.IndexedValueType;
const indexedValueType: Record<SearchAttributeType, temporal.api.enums.v1.IndexedValueType> = {
  TEXT: IVT.INDEXED_VALUE_TYPE_TEXT,
  KEYWORD: IVT.INDEXED_VALUE_TYPE_KEYWORD,
  INT: IVT.INDEXED_VALUE_TYPE_INT,
  DOUBLE: IVT.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: IVT.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: IVT.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: IVT.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/**
 * Adds missing custom search attributes; existing ones are left alone. Servers that cannot
 * list them (the Java time-skipping test server) get all of them added.
 */
export async function ensureSearchAttributes(client: Client, namespace: string): Promise<string[]> {
  let existing = new Set<string>();
  try {
    const { customAttributes } = await client.connection.operatorService.listSearchAttributes({ namespace });
    existing = new Set(Object.keys(customAttributes ?? {}));
  } catch (err) {
    if ((err as { code?: number }).code !== GRPC_UNIMPLEMENTED) throw err;
  }
  const missing = customSearchAttributes.filter((attr) => !existing.has(attr.name));
  if (missing.length === 0) return [];
  try {
    await client.connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(
        missing.map((attr) => [attr.name, indexedValueType[attr.type]]),
      ),
    });
  } catch (err) {
    // Another process starting at the same moment registered them first.
    if ((err as { code?: number }).code === GRPC_ALREADY_EXISTS) return [];
    throw err;
  }
  return missing.map((attr) => attr.name);
}
