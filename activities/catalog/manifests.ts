/**
 * The catalog's declarative half: pure data, safe to import from workflow code and the
 * compiler. Kept in the same order as `catalog` in ./index.ts (a unit test checks both).
 */
import { alertNotifyOwnerManifest } from '../integrations/alert-notify-owner/manifest';
import { complaintCheckCommitmentsManifest } from '../integrations/complaint-check-commitments/manifest';
import { complaintClassifyManifest } from '../integrations/complaint-classify/manifest';
import { complaintEngineerOfferManifest } from '../integrations/complaint-engineer-offer/manifest';
import { complaintFulfilCommitmentManifest } from '../integrations/complaint-fulfil-commitment/manifest';
import { complaintNotifyCustomerManifest } from '../integrations/complaint-notify-customer/manifest';
import { complaintRecordManifest } from '../integrations/complaint-record/manifest';
import { dispatchRecommendManifest } from '../integrations/dispatch-recommend/manifest';
import { httpRequestManifest } from '../integrations/http-request/manifest';
import { notifyDingtalkManifest } from '../integrations/notify-dingtalk/manifest';
import { notifyEmailManifest } from '../integrations/notify-email/manifest';
import { notifyFeishuManifest } from '../integrations/notify-feishu/manifest';
import { notifyWebhookManifest } from '../integrations/notify-webhook/manifest';
import { notifyWecomManifest } from '../integrations/notify-wecom/manifest';
import { variablesSetManifest } from '../integrations/variables-set/manifest';
import type { IntegrationManifest } from './types';

export const catalogManifests: readonly IntegrationManifest[] = [
  httpRequestManifest,
  variablesSetManifest,
  notifyEmailManifest,
  notifyWebhookManifest,
  notifyWecomManifest,
  notifyDingtalkManifest,
  notifyFeishuManifest,
  complaintClassifyManifest,
  complaintRecordManifest,
  complaintCheckCommitmentsManifest,
  complaintFulfilCommitmentManifest,
  dispatchRecommendManifest,
  complaintEngineerOfferManifest,
  complaintNotifyCustomerManifest,
  alertNotifyOwnerManifest,
];

export function findManifest(type: string): IntegrationManifest | undefined {
  return catalogManifests.find((m) => m.type === type);
}

/** The task types the compiler accepts in `zeebe:taskDefinition type`. */
export function catalogTaskTypes(): ReadonlySet<string> {
  return new Set(catalogManifests.map((m) => m.type));
}
