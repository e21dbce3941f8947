/**
 * The element-template fields the three robot integrations share. Pure data (no runtime
 * imports): manifests are read by workflow code.
 */
import type { TemplateField } from '../catalog/types';

export function robotTemplateFields(label: string, options: { mobiles: boolean }): TemplateField[] {
  const input = (name: string) => ({ type: 'zeebe:input' as const, name });
  return [
    { name: 'credential', label: 'Robot credential', type: 'string', binding: input('credential'), description: `Name of a credential with the ${label} robot's \`key\` (or \`url\`) and, when it signs, \`secret\`` },
    { name: 'text', label: 'Text', type: 'string', binding: input('text'), feel: 'optional' },
    { name: 'markdown', label: 'Markdown', type: 'string', binding: input('markdown'), optional: true, feel: 'optional', description: 'Sent instead of the text when set' },
    { name: 'subject', label: 'Title', type: 'string', binding: input('subject'), optional: true, feel: 'optional', description: 'Title of a markdown message' },
    { name: 'mentions', label: 'Mention user ids', type: 'string', binding: input('mentions'), optional: true, feel: 'required', description: 'FEEL list of user ids to @-mention' },
    ...(options.mobiles
      ? [{ name: 'mentionMobiles', label: 'Mention mobiles', type: 'string' as const, binding: input('mentionMobiles'), optional: true, feel: 'required' as const, description: 'FEEL list of phone numbers to @-mention' }]
      : []),
    { name: 'mentionAll', label: 'Mention everyone', type: 'boolean', binding: input('mentionAll'), optional: true },
  ];
}
