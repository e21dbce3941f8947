import type { MBaseElement, MZeebe } from './moddleTypes';

/**
 * zeebe extension elements Zeebe allows at most once on an element (its
 * ExtensionElementDuplicationValidators, the "exactly one" checks of service tasks, call
 * activities and multi-instance markers, and the job priority validator). A second one is not
 * ignored there but refused, so it is refused here too instead of silently taking the first.
 */
export const SINGLE_EXTENSIONS: ReadonlySet<string> = new Set([
  'zeebe:IoMapping', 'zeebe:ExecutionListeners', 'zeebe:TaskHeaders', 'zeebe:LinkedResources',
  'zeebe:TaskDefinition', 'zeebe:JobPriorityDefinition', 'zeebe:CalledElement', 'zeebe:CalledDecision',
  'zeebe:Script', 'zeebe:AdHoc', 'zeebe:UserTask', 'zeebe:AssignmentDefinition', 'zeebe:FormDefinition',
  'zeebe:TaskSchedule', 'zeebe:PriorityDefinition', 'zeebe:TaskListeners', 'zeebe:LoopCharacteristics',
  'zeebe:VersionTag',
]);

/**
 * The XML names (`zeebe:taskDefinition`) of the single-use extension elements `node` has more
 * than once, each with its count, in the order they first appear.
 */
export function duplicatedExtensions(node: MBaseElement | undefined): Array<{ name: string; count: number }> {
  const counts = new Map<string, number>();
  for (const v of node?.extensionElements?.values ?? []) {
    if (SINGLE_EXTENSIONS.has(v.$type)) counts.set(v.$type, (counts.get(v.$type) ?? 0) + 1);
  }
  return [...counts].filter(([, count]) => count > 1)
    .map(([type, count]) => ({ name: `zeebe:${type.charAt(6).toLowerCase()}${type.slice(7)}`, count }));
}

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
