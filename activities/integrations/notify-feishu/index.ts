/** `notify.feishu`: one message to a Feishu / Lark group bot (notifications/feishu.ts). */
import { feishuChannel } from '../../notifications/feishu';
import { notifyIntegration, robotSplit } from '../../notifications/integration';
import { robotInput } from '../../notifications/schema';
import { notifyFeishuManifest } from './manifest';

/** The webhook cannot mention by phone number, so the field is not offered. */
export const notifyFeishuInput = robotInput.omit({ mentionMobiles: true });

export const notifyFeishu = notifyIntegration(notifyFeishuManifest, notifyFeishuInput, feishuChannel, robotSplit);
