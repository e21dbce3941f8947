import type { MessageBundle } from '../../i18n';

export const incidentsMessages: MessageBundle = {
  en: {
    'incidents.title': 'Open incidents',
    'incidents.summary': 'Open: {count} · instances affected: {instances}',
    'incidents.empty': 'No open incidents. Every instance is running as designed.',
    'incidents.col.instance': 'Instance',
    'incidents.col.element': 'Element',
    'incidents.col.problem': 'Problem',
    'incidents.col.age': 'Open for',
    'incidents.col.action': 'Action',
    'incidents.open': 'Open',
    'incidents.retried': 'Retried incident at {element}.',
  },
  'zh-CN': {
    'incidents.title': '未解决的故障',
    'incidents.summary': '{instances} 个实例中共有 {count} 个未解决故障',
    'incidents.empty': '没有未解决的故障，所有实例运行正常。',
    'incidents.col.instance': '实例',
    'incidents.col.element': '节点',
    'incidents.col.problem': '问题',
    'incidents.col.age': '已持续',
    'incidents.col.action': '操作',
    'incidents.open': '查看',
    'incidents.retried': '已重试 {element} 的故障。',
  },
};
