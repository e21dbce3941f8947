/**
 * What a complaint's commitment promises the customer (`kind`): one list for the complaint
 * model, the API's schema and the inbox's form, whose first entry the form selects by default.
 * It lives in processes/ because the browser bundle may import only this layer
 * (docs/architecture.md, "Layers").
 */
export const COMMITMENT_KINDS = ['call-back', 'gift', 'refund', 'other'] as const;
export type CommitmentKind = (typeof COMMITMENT_KINDS)[number];
