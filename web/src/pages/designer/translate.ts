/**
 * bpmn-js's own strings (palette, context pad, properties-panel groups, the lint toggle) in
 * the app's language: a `translate` service override, as bpmn-js documents it. Strings not in
 * the dictionary stay English.
 */
import { locale } from '../../i18n';
import { EN_SLA, ZH_CN_SLA } from './sla/translateZh';
import { ZH_CN_MODELER } from './translateZh';

export function translate(template: string, replacements: Record<string, string> = {}): string {
  const text = locale() === 'zh-CN' ? ZH_CN_MODELER[template] ?? ZH_CN_SLA[template] ?? template : EN_SLA[template] ?? template;
  return text.replace(/{([^}]+)}/g, (whole, key: string) => replacements[key] ?? whole);
}

export const translateModule = { translate: ['value', translate] };
