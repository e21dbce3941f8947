/** Builds the complaints domain from the shared services (called from server/wiring.ts). */
import os from 'node:os';
import path from 'node:path';
import type { Connection } from 'mongoose';
import type { DefinitionsService } from '../api/definitions/service';
import type { InstancesService } from '../api/instances/service';
import type { StaffCounters } from './store';
import type { ProjectionModels } from '../projections/models';
import { createAttachments } from './attachments';
import { createFeedbackService } from './feedback';
import { complaintModels } from './model';
import type { ComplaintsApi } from './router';
import { createComplaintsService } from './service';
import { createComplaintStore } from './store';
import { createTaskActions } from './taskActions';

export interface ComplaintsSettings {
  /** Where attachments are stored: DATA_DIR/attachments. */
  attachmentsDir: string;
  attachmentMaxBytes: number;
  compensationAutoApproveLimit: number;
  feedbackAlertThreshold: number;
  touchpointOwners: Readonly<Record<string, string>>;
}

export const DEFAULT_COMPLAINTS_SETTINGS: ComplaintsSettings = {
  attachmentsDir: path.join(os.tmpdir(), 'complaint-bpm', 'attachments'),
  attachmentMaxBytes: 10 * 1024 * 1024,
  compensationAutoApproveLimit: 100,
  feedbackAlertThreshold: 6,
  touchpointOwners: {},
};

/**
 * The store first: the worker's integrations need its port before the services exist. With
 * the directory, dispatch, close and evaluations update the engineer's load and satisfaction.
 */
export function complaintStore(mongo: Connection, directory?: StaffCounters) {
  return createComplaintStore(complaintModels(mongo), undefined, directory);
}

export function wireComplaints(input: {
  store: ReturnType<typeof complaintStore>;
  definitions: DefinitionsService;
  instances: InstancesService;
  projections: ProjectionModels;
  settings?: Partial<ComplaintsSettings>;
}): ComplaintsApi {
  const settings = { ...DEFAULT_COMPLAINTS_SETTINGS, ...input.settings };
  const { store, definitions, instances, projections } = input;
  return {
    complaints: createComplaintsService({ store, instances, projections, config: { compensationAutoApproveLimit: settings.compensationAutoApproveLimit } }),
    feedback: createFeedbackService({ models: store.models, definitions, instances, config: { alertThreshold: settings.feedbackAlertThreshold, touchpointOwners: settings.touchpointOwners } }),
    attachments: createAttachments({ store, dir: settings.attachmentsDir }),
    taskActions: createTaskActions({ projections, store, instances }),
    attachmentMaxBytes: settings.attachmentMaxBytes,
  };
}
