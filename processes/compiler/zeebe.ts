import type { MBaseElement, MZeebe } from './moddleTypes';

/** The first `zeebe:<type>` extension element of `node`, e.g. `zeebe:TaskDefinition`. */
export function zeebeExt(node: MBaseElement | undefined, type: string): MZeebe | undefined {
  const values = node?.extensionElements?.values ?? [];
  return values.find((v) => v.$type === type) as MZeebe | undefined;
}

/** Every `zeebe:<type>` extension element of `node`. */
export function zeebeExts(node: MBaseElement | undefined, type: string): MZeebe[] {
  const values = node?.extensionElements?.values ?? [];
  return values.filter((v) => v.$type === type) as MZeebe[];
}

/** A string attribute of an extension element; anything else counts as absent. */
export function attr(ext: MZeebe | undefined, name: string): string | undefined {
  const value = ext?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** A boolean attribute (moddle has already converted `"true"`/`"false"`). */
export function flag(ext: MZeebe | undefined, name: string, fallback: boolean): boolean {
  const value = ext?.[name];
  return typeof value === 'boolean' ? value : fallback;
}
