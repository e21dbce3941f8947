/** Builds the complaints domain from the shared services (called from server/wiring.ts). */
import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { DefinitionsService } from '../definitions/service';
import type { InstancesService } from '../instances/service';
import type { LinkMaker, StaffCounters } from './store';
import type { ProjectionModels } from '../projections/models';
import { createAttachments } from './attachments';
import type { AttachmentStore } from './attachmentStore';
import { createEngineerChoice } from './engineerChoice';
import { createDepartmentRequests } from './departmentWork';
import { createMyExpert, type FavouriteStore } from './myExpert';
import { createAppointments } from './appointments';
import { createFeedbackService } from './feedback';
import { complaintModels } from './model';
import { customerLinks, type CustomerLinks } from '../auth/customerLink';
import type { ComplaintsApi } from './router';
import { createComplaintsService } from './service';
import { createComplaintStore, type ComplaintChanged, type EntryAppended } from './store';
import { createTaskActions } from './taskActions';
import { policyNamesOf } from './slaNames';
import { createStaffClose, type InstanceModifier } from './staffClose';

export interface ComplaintsSettings {
  attachmentMaxBytes: number;
  /** ATTACHMENT_VIDEO_MAX_BYTES: the largest video clip (evidence.ts). */
  videoMaxBytes: number;
  compensationAutoApproveLimit: number;
  feedbackAlertThreshold: number;
  /** TOUCHPOINT_OWNERS: touchpoint -> owner group of its alert work orders. */
  touchpointOwners: Readonly<Record<string, string>>;
  /** ALERT_DEFAULT_GROUP: the owner group of touchpoints without one. */
  alertDefaultGroup: string;
  /** ALERT_REOPEN_WINDOW (ISO 8601 duration): how long a closed alert may be reopened. */
  alertReopenWindow: string;
  /** Key of the signed customer links; unset = a random key for this process's lifetime (tests). */
  linkKey?: Buffer;
  linkTtlHours: number;
  /** Base of the links sent to customers (PUBLIC_BASE_URL). */
  publicBaseUrl: string;
  /** DISPATCH_MODE: the default when the intake does not say. */
  dispatchMode: 'auto' | 'customer';
  /** ENGINEER_CHOICE_TIMEOUT, an ISO 8601 duration (process variable engineerChoiceTimeout). */
  engineerChoiceTimeout: string;
}

export const DEFAULT_COMPLAINTS_SETTINGS: ComplaintsSettings = {
  attachmentMaxBytes: 10 * 1024 * 1024,
  videoMaxBytes: 50 * 1024 * 1024,
  compensationAutoApproveLimit: 100,
  feedbackAlertThreshold: 6,
  touchpointOwners: {},
  alertDefaultGroup: 'customer-experience',
  alertReopenWindow: 'P7D',
  linkTtlHours: 24 * 14,
  publicBaseUrl: 'http://127.0.0.1:3000',
  dispatchMode: 'auto',
  engineerChoiceTimeout: 'PT4H',
};

/** The customer links of these settings (one signer for the API and the notification integration). */
export function complaintLinks(settings: Partial<ComplaintsSettings> = {}): CustomerLinks {
  const s = { ...DEFAULT_COMPLAINTS_SETTINGS, ...settings };
  return customerLinks({ key: s.linkKey ?? randomBytes(32), ttlMs: s.linkTtlHours * 3_600_000, baseUrl: s.publicBaseUrl });
}

/**
 * The store first: the worker's integrations need its port before the services exist. With
 * the directory, dispatch, close and evaluations update the engineer's load and satisfaction.
 * `changed`: told of every complaint document written; `appended`: of every timeline entry
 * appended beside one (the document unchanged).
 */
export function complaintStore(mongo: Connection, directory?: StaffCounters, links?: LinkMaker, changed?: ComplaintChanged, appended?: EntryAppended) {
  return createComplaintStore(complaintModels(mongo), undefined, directory, links, changed, appended);
}

export function wireComplaints(input: {
  store: ReturnType<typeof complaintStore>;
  definitions: DefinitionsService;
  instances: InstancesService;
  projections: ProjectionModels;
  links: CustomerLinks;
  /** Where attachment bytes live (attachmentStore.ts). */
  files: AttachmentStore;
  settings?: Partial<ComplaintsSettings>;
  /** Where a customer's tier comes from (the directory); without it every customer is 'standard'. */
  customers?: FavouriteStore;
  /** Token modification (the migrations service): staff close a resolved complaint with it. */
  modify?: InstanceModifier;
}): ComplaintsApi {
  const settings = { ...DEFAULT_COMPLAINTS_SETTINGS, ...input.settings };
  const { store, definitions, instances, projections, links } = input;
  return {
    complaints: createComplaintsService({
      store, instances, projections,
      ...(input.customers ? { customerTier: async (id: string) => (await input.customers!.getCustomer(id))?.tier } : {}),
      policyNames: async (key, version) => policyNamesOf((await definitions.resolveDefinition(key, version)).model),
      config: { compensationAutoApproveLimit: settings.compensationAutoApproveLimit, dispatchMode: settings.dispatchMode, engineerChoiceTimeout: settings.engineerChoiceTimeout },
    }),
    links,
    feedback: createFeedbackService({ models: store.models, definitions, instances, config: { alertThreshold: settings.feedbackAlertThreshold, touchpointOwners: settings.touchpointOwners, defaultGroup: settings.alertDefaultGroup, reopenWindow: settings.alertReopenWindow } }),
    attachments: createAttachments({ store, files: input.files, limits: { photoMaxBytes: settings.attachmentMaxBytes, videoMaxBytes: settings.videoMaxBytes } }),
    taskActions: createTaskActions({ projections, store, instances }),
    engineerChoice: createEngineerChoice({ store, instances }),
    departments: createDepartmentRequests({ store, instances, projections }),
    appointments: createAppointments(store),
    myExpert: createMyExpert({ store, ...(input.customers ? { customers: input.customers } : {}) }),
    attachmentMaxBytes: settings.attachmentMaxBytes,
    videoMaxBytes: settings.videoMaxBytes,
    staffClose: createStaffClose({ store, ...(input.modify ? { modify: input.modify } : {}) }),
  };
}
