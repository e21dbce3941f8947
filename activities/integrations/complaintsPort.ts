/**
 * What the complaint integrations may do with the complaints store (server/complaints/store.ts
 * implements it; wiring passes it as `IntegrationDeps.complaints`). Narrow on purpose: the
 * process carries only the complaint id, and reads the free text it needs from here, so
 * customer descriptions never enter workflow history.
 */
export type ComplaintStatus = 'open' | 'in_progress' | 'awaiting_evaluation' | 'closed' | 'reopened';
export const COMPLAINT_STATUSES = ['open', 'in_progress', 'awaiting_evaluation', 'closed', 'reopened'] as const;

export interface ClassificationFacts {
  title: string;
  description: string;
  product: string;
  channel: string;
}

export interface Classification {
  category: string;
  severity: 'low' | 'medium' | 'high';
  departments: string[];
}

/** One engineer offered to the customer: a dispatch.recommend recommendation. */
export interface EngineerOfferItem {
  staffId: string;
  name: string;
  score: number;
  distanceKm: number | null;
  reasons: string[];
}

/** What the resolution notice needs: where to send it and the customer's signed link. No names, no other ids. */
export interface CustomerNotice {
  complaintNumber: string;
  /** null: the customer left no e-mail address. */
  email: string | null;
  /** The signed customer link to the complaint (null: this service signs no links). */
  link: string | null;
}

export interface ComplaintsPort {
  /** null when there is no such complaint. */
  classificationFacts(complaintId: string): Promise<ClassificationFacts | null>;
  /** Stores the classification and moves the complaint to in_progress; idempotent per `entryId`. */
  classify(complaintId: string, classification: Classification, entryId: string): Promise<void>;
  /**
   * Appends a timeline entry (and sets status / engineer / the departments that must act when
   * given); idempotent per `entryId`.
   */
  record(complaintId: string, entry: { entryId: string; what: string; status?: ComplaintStatus; engineer?: string; departments?: string[] }): Promise<boolean>;
  /** Number of commitments not yet fulfilled. */
  openCommitments(complaintId: string): Promise<number>;
  /** Marks a commitment fulfilled; false when there is no such commitment. */
  fulfilCommitment(complaintId: string, commitmentId: string, entryId: string): Promise<boolean>;
  /** Records the engineers offered to the customer (the offer waits for a choice); false when there is no such complaint. */
  offerEngineers(complaintId: string, offered: EngineerOfferItem[], entryId: string): Promise<boolean>;
  /** Keeps the dispatch's recommendations (with their reasons) on the complaint; false when there is no such complaint. */
  recordRecommendations(complaintId: string, recommended: EngineerOfferItem[], entryId: string): Promise<boolean>;
  /** Ends a waiting offer without a choice; false when there is no such complaint. */
  closeOffer(complaintId: string, outcome: 'timed_out', entryId: string): Promise<boolean>;
  /** The address and link of the resolution notice; null when there is no such complaint. */
  customerNotice(complaintId: string): Promise<CustomerNotice | null>;
}
