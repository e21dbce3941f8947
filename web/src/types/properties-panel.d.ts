// @bpmn-io/properties-panel ships no types: the entry components our SLA provider renders
// (web/src/pages/designer/sla/), as its docs and bpmn-js-properties-panel's providers use them.
declare module '@bpmn-io/properties-panel' {
  import type { ComponentType } from '@bpmn-io/properties-panel/preact';

  type Entry = ComponentType<Record<string, unknown>>;
  export const ListGroup: Entry;
  export const ListEntry: Entry;
  export const CollapsibleEntry: Entry;
  export const TextFieldEntry: Entry;
  export const SelectEntry: Entry;
  export const isTextFieldEntryEdited: (node: HTMLElement) => boolean;
  export const isSelectEntryEdited: (node: HTMLElement) => boolean;
}

declare module 'bpmn-js-properties-panel' {
  /** A service of the modeler's injector, inside a properties-panel component. */
  export function useService<T = unknown>(name: string): T;
}
