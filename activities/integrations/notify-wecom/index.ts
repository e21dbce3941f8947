/** `notify.wecom`: one message to a WeCom group robot (notifications/wecom.ts). */
import { notifyIntegration, robotSplit } from '../../notifications/integration';
import { robotInput } from '../../notifications/schema';
import { wecomChannel } from '../../notifications/wecom';
import { notifyWecomManifest } from './manifest';

export const notifyWecom = notifyIntegration(notifyWecomManifest, robotInput, wecomChannel, robotSplit);
