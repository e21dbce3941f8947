/**
 * Who may publish a message through the API (POST /api/messages), as the diagram declares it:
 * a `zeebe:properties` entry `publishers` on the `bpmn:Message`,
 *
 *   <bpmn:message id="MsgEvaluated" name="complaint-evaluated">
 *     <bpmn:extensionElements>
 *       <zeebe:properties><zeebe:property name="publishers" value="service" /></zeebe:properties>
 *     </bpmn:extensionElements>
 *   </bpmn:message>
 *
 * The value is a comma-separated list of roles, or `service`: only the service's own routes
 * (the customer's evaluation, reopen and engineer choice) deliver it, no role may publish it.
 * A message without the entry keeps the route's own policy. Read from the stored XML of the
 * deployed version, like the forms, so the executable model (and history) stay as they are.
 */
import type { MBaseElement, MZeebe } from './moddleTypes';
import { parseBpmn } from './parse';
import { attr, zeebeExts } from './zeebe';

export const PUBLISHERS_PROPERTY = 'publishers';
/** The publishers value that names no role: only the service itself delivers the message. */
export const SERVICE_ONLY = 'service';

/**
 * The declared publisher roles of each statically named message (`[]` = service only). With
 * `bpmn:Signal`, the same entry on signals: who may broadcast them (POST /api/signals, decision 0034).
 */
export async function messagePublishers(xml: string, rootType: 'bpmn:Message' | 'bpmn:Signal' = 'bpmn:Message'): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  const parsed = await parseBpmn(xml);
  if (!parsed.ok) return result;
  const messages = (parsed.definitions.rootElements ?? []).filter((e): e is MBaseElement => e.$type === rootType);
  for (const message of messages) {
    const name = message.name;
    if (!name || name.startsWith('=')) continue;
    for (const properties of zeebeExts(message, 'zeebe:Properties')) {
      const entries = Array.isArray(properties.properties) ? (properties.properties as MZeebe[]) : [];
      for (const entry of entries) {
        if (attr(entry, 'name') !== PUBLISHERS_PROPERTY) continue;
        const roles = (attr(entry, 'value') ?? '').split(',').map((r) => r.trim()).filter((r) => r !== '' && r !== SERVICE_ONLY);
        result.set(name, [...(result.get(name) ?? []), ...roles]);
      }
    }
  }
  return result;
}
