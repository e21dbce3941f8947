/** The complaints settings of a process from its configuration: the same for `npm start` and `npm run worker`. */
import { loadLinkKey } from '../auth/customerLink';
import type { Config } from '../config';
import type { ComplaintsSettings } from './wiring';

export async function complaintsSettingsFrom(config: Config): Promise<Partial<ComplaintsSettings>> {
  return {
    attachmentMaxBytes: config.ATTACHMENT_MAX_BYTES,
    videoMaxBytes: config.ATTACHMENT_VIDEO_MAX_BYTES,
    compensationAutoApproveLimit: config.COMPENSATION_AUTO_APPROVE_LIMIT,
    feedbackAlertThreshold: config.FEEDBACK_ALERT_THRESHOLD,
    touchpointOwners: config.TOUCHPOINT_OWNERS,
    alertDefaultGroup: config.ALERT_DEFAULT_GROUP,
    alertReopenWindow: config.ALERT_REOPEN_WINDOW,
    // Workers sign the link in the resolution notice, APIs verify links: all need one key (decision 0007).
    linkKey: await loadLinkKey(config.CUSTOMER_LINK_KEY, config.dataDir),
    linkTtlHours: config.CUSTOMER_LINK_TTL_HOURS,
    publicBaseUrl: config.PUBLIC_BASE_URL ?? `http://${config.HOST}:${config.PORT}`,
    dispatchMode: config.DISPATCH_MODE,
    engineerChoiceTimeout: config.ENGINEER_CHOICE_TIMEOUT,
  };
}
