// The validator bpmn-js-element-templates uses (installed with it); it ships no types.
declare module '@bpmn-io/element-templates-validator' {
  export function validateZeebe(template: unknown): { valid: boolean; errors?: unknown[] };
}
