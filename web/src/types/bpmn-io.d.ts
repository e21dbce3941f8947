// The bpmn.io add-ons ship no TypeScript types; these declare only what the designer uses.
// bpmn-js itself (lib/*.d.ts) and form-js bring their own.
declare module 'bpmn-js-properties-panel' {
  export const BpmnPropertiesPanelModule: unknown;
  export const BpmnPropertiesProviderModule: unknown;
  export const ZeebePropertiesProviderModule: unknown;
}

declare module 'bpmn-js-element-templates' {
  export const CloudElementTemplatesPropertiesProviderModule: unknown;
}

declare module '@bpmn-io/element-template-chooser' {
  const module: unknown;
  export default module;
}

declare module 'camunda-bpmn-js-behaviors/lib/camunda-cloud' {
  const module: unknown;
  export default module;
}

declare module 'bpmn-js-bpmnlint' {
  const module: unknown;
  export default module;
}

declare module 'bpmn-js-differ' {
  export interface Changes {
    _added: Record<string, { id: string; $type: string; name?: string }>;
    _removed: Record<string, { id: string; $type: string; name?: string }>;
    _changed: Record<string, { model: { id: string; $type: string; name?: string }; attrs: Record<string, { oldValue: unknown; newValue: unknown }> }>;
    _layoutChanged: Record<string, { id: string; $type: string; name?: string }>;
  }
  export function diff(oldDefinitions: unknown, newDefinitions: unknown): Changes;
}

declare module 'bpmnlint/rules/*' {
  const factory: (config?: unknown) => unknown;
  export default factory;
}

// Stylesheets imported `with { type: 'text' }` (esbuild gives their text).
declare module '*.css' {
  const text: string;
  export default text;
}
