/** `notify.dingtalk`: one message to a DingTalk group robot (notifications/dingtalk.ts). */
import { dingtalkChannel } from '../../notifications/dingtalk';
import { notifyIntegration, robotSplit } from '../../notifications/integration';
import { robotInput } from '../../notifications/schema';
import { notifyDingtalkManifest } from './manifest';

export const notifyDingtalk = notifyIntegration(notifyDingtalkManifest, robotInput, dingtalkChannel, robotSplit);
