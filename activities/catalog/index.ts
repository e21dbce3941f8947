/**
 * The activity catalog: an explicit list, no directory scan. Adding an integration means
 * adding its folder under integrations/, its manifest to ./manifests.ts and itself here.
 */
import { alertNotifyOwner } from '../integrations/alert-notify-owner';
import { complaintCheckCommitments } from '../integrations/complaint-check-commitments';
import { complaintClassify } from '../integrations/complaint-classify';
import { complaintEngineerOffer } from '../integrations/complaint-engineer-offer';
import { complaintFulfilCommitment } from '../integrations/complaint-fulfil-commitment';
import { complaintNotifyCustomer } from '../integrations/complaint-notify-customer';
import { complaintRecord } from '../integrations/complaint-record';
import { dispatchRecommend } from '../integrations/dispatch-recommend';
import { httpRequest } from '../integrations/http-request';
import { notifyDingtalk } from '../integrations/notify-dingtalk';
import { notifyEmail } from '../integrations/notify-email';
import { notifyFeishu } from '../integrations/notify-feishu';
import { notifyWebhook } from '../integrations/notify-webhook';
import { notifyWecom } from '../integrations/notify-wecom';
import { variablesSet } from '../integrations/variables-set';
import { decisionEvaluate } from '../integrations/decision-evaluate';
import type { Integration } from './types';

export { catalogManifests, catalogTaskTypes, findManifest } from './manifests';

export const catalog: readonly Integration[] = [
  httpRequest,
  variablesSet,
  notifyEmail,
  notifyWebhook,
  notifyWecom,
  notifyDingtalk,
  notifyFeishu,
  complaintClassify,
  complaintRecord,
  complaintCheckCommitments,
  complaintFulfilCommitment,
  dispatchRecommend,
  complaintEngineerOffer,
  complaintNotifyCustomer,
  alertNotifyOwner,
];

/**
 * Integrations the compiler assigns itself, never offered as element templates nor named in
 * a diagram's zeebe:taskDefinition: the called DMN decision of a business rule task.
 */
export const builtinIntegrations: readonly Integration[] = [decisionEvaluate];

export function findIntegration(type: string): Integration | undefined {
  return catalog.find((i) => i.type === type) ?? builtinIntegrations.find((i) => i.type === type);
}
