/**
 * Element names in other languages, as designers give them in the modeler: a Camunda 8
 * extension property `name:<locale>` on the element (decision 0050), e.g.
 *
 *   <zeebe:properties><zeebe:property name="name:zh-CN" value="派工" /></zeebe:properties>
 *
 * They are labels for people only: the compiler never reads them into the executable model,
 * so adding or changing one changes nothing a process does.
 */
import type { MElement, MZeebe } from './moddleTypes';
import { attr, zeebeExts } from './zeebe';

/** Element id → locale → name. */
export type ElementLabels = Record<string, Record<string, string>>;

const LABEL = /^name:([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)$/;

export function elementLabels(elementsById: ReadonlyMap<string, MElement>): ElementLabels {
  const labels: ElementLabels = {};
  for (const [id, element] of elementsById) {
    for (const properties of zeebeExts(element, 'zeebe:Properties')) {
      const entries = Array.isArray(properties.properties) ? (properties.properties as MZeebe[]) : [];
      for (const entry of entries) {
        const locale = LABEL.exec(attr(entry, 'name') ?? '')?.[1];
        const value = attr(entry, 'value')?.trim();
        if (locale && value) (labels[id] ??= {})[locale] = value;
      }
    }
  }
  return labels;
}

/** Element id → the element's own name, for the elements that have both a name and labels. */
export function elementNames(elementsById: ReadonlyMap<string, MElement>): Record<string, string> {
  const names: Record<string, string> = {};
  const labelled = elementLabels(elementsById);
  for (const id of Object.keys(labelled)) {
    const name = (elementsById.get(id) as { name?: unknown } | undefined)?.name;
    if (typeof name === 'string' && name.trim()) names[id] = name;
  }
  return names;
}
