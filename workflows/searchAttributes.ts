/**
 * Custom search attributes every process-instance workflow carries. Only identifiers of the
 * model and the business key: never customer data (search attributes are visible to anyone
 * with namespace access and end up in Temporal's visibility store).
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const BPMN_PROCESS_ID = defineSearchAttributeKey('BpmnProcessId', SearchAttributeType.KEYWORD);
export const BPMN_PROCESS_VERSION = defineSearchAttributeKey('BpmnProcessVersion', SearchAttributeType.INT);
export const BPMN_BUSINESS_KEY = defineSearchAttributeKey('BpmnBusinessKey', SearchAttributeType.KEYWORD);

/** Name -> type, for registering them in a namespace. */
export const customSearchAttributes = [BPMN_PROCESS_ID, BPMN_PROCESS_VERSION, BPMN_BUSINESS_KEY] as const;
