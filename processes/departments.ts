/**
 * The departments the shipped complaint processes route work to, named as their candidate
 * groups (processes/complaint-handling.bpmn). One list for the API's schemas, the classifier
 * and the inbox pages; it lives in processes/ because the browser bundle may import only this
 * layer (docs/architecture.md, "Layers").
 */

/** Departments a complaint is routed to: the classifier's output and the complaint list filter. */
export const DEPARTMENTS = ['after-sales', 'technical', 'finance', 'logistics'] as const;
export type Department = (typeof DEPARTMENTS)[number];

/** Groups above the departments: they own commitments too and take escalated tasks. */
export const OVERSIGHT_GROUPS = ['supervisor', 'customer-experience'] as const;

/** Who may own a commitment (`ownerDepartment`), and the usual targets of a task transfer. */
export const OWNER_GROUPS = [...DEPARTMENTS, ...OVERSIGHT_GROUPS] as const;
export type OwnerGroup = (typeof OWNER_GROUPS)[number];

/**
 * The process variable that asks for each department (complaint.classify's output, read by
 * the gateways of complaint-handling.bpmn), in routing order.
 */
export const DEPARTMENT_FLAGS: ReadonlyArray<readonly [flag: string, department: Department]> = [
  ['needAfterSales', 'after-sales'],
  ['needTechnical', 'technical'],
  ['needFinance', 'finance'],
  ['needLogistics', 'logistics'],
];
