import type { IntegrationManifest } from '../../catalog/types';

const input = (name: string) => ({ type: 'zeebe:input' as const, name });

export const dispatchRecommendManifest: IntegrationManifest = {
  type: 'dispatch.recommend',
  description: 'Recommend the best three staff for a complaint (distance, skill, product, language, load, satisfaction) and the assignee',
  // Reads the directory only: quick, and safe to retry.
  defaults: { startToCloseTimeoutMs: 15_000, retries: 3, retryInitialIntervalMs: 1_000, local: true },
  templateFields: [
    { name: 'category', label: 'Category', type: 'string', binding: input('category'), feel: 'optional', optional: true,
      description: 'With the product, gives the skills needed (processes/skills.ts), e.g. defect' },
    { name: 'skill', label: 'Skill', type: 'string', binding: input('skill'), feel: 'optional', optional: true, description: 'e.g. refrigeration' },
    { name: 'complaintId', label: 'Complaint id', type: 'string', binding: input('complaintId'), feel: 'optional', optional: true,
      description: 'Writes the recommendations and their reasons on the complaint' },
    { name: 'product', label: 'Product', type: 'string', binding: input('product'), feel: 'optional', optional: true },
    { name: 'onSite', label: 'On-site repair', type: 'boolean', binding: input('onSite'), feel: 'optional', optional: true,
      description: 'Only engineers, the nearest well-rated outlet first' },
    { name: 'lat', label: 'Latitude of the customer', type: 'number', binding: input('lat'), feel: 'optional', optional: true },
    { name: 'lon', label: 'Longitude of the customer', type: 'number', binding: input('lon'), feel: 'optional', optional: true },
    { name: 'customerId', label: 'Customer id', type: 'string', binding: input('customerId'), feel: 'optional', optional: true,
      description: 'Language, region and favourite engineer come from the customer unless given' },
    { name: 'region', label: 'Region', type: 'string', binding: input('region'), feel: 'optional', optional: true },
    { name: 'language', label: 'Language or dialect', type: 'string', binding: input('language'), feel: 'optional', optional: true },
    { name: 'unknownCustomer', label: 'Customer not in the directory', type: 'dropdown', binding: input('unknownCustomer'), optional: true,
      choices: [{ name: 'Fail (incident)', value: 'fail' }, { name: 'Rank without the customer', value: 'ignore' }] },
  ],
};
