/**
 * The task types (`zeebe:taskDefinition type`) the activity catalog can run: the vocabulary the
 * compiler checks service tasks against. It lives here, below activities/, because the
 * compiler may not import activities/ (the layer rule in eslint.config.mjs). A unit test
 * (tests/unit/activities/catalog.test.ts) keeps this list and the catalog's manifests equal,
 * so an integration added without its type here fails that test.
 */
export const CATALOG_TASK_TYPE_LIST = [
  'http.request',
  'variables.set',
  'notify.email',
  'notify.webhook',
  'notify.wecom',
  'notify.dingtalk',
  'notify.feishu',
  'complaint.classify',
  'complaint.record',
  'complaint.check-commitments',
  'complaint.fulfil-commitment',
  'dispatch.recommend',
  'complaint.engineer-offer',
  'complaint.notify-customer',
  'alert.notify-owner',
] as const;

export type CatalogTaskType = (typeof CATALOG_TASK_TYPE_LIST)[number];

/** The compiler's default set of known task types. */
export const CATALOG_TASK_TYPES: ReadonlySet<string> = new Set(CATALOG_TASK_TYPE_LIST);
