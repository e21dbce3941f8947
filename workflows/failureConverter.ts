/**
 * The failure converter of the service's workflows, clients and workers (decision 0023): a
 * failure's message and stack travel in an encoded payload, so the payload codec encrypts them
 * like any other data (they may quote variables). Bundled into the workflow sandbox as
 * `failureConverterPath`; failures recorded before decode as they were.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
