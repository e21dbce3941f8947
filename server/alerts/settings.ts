/** The alert settings from the configuration: none unless ALERT_WEBHOOK_URL is set. */
import type { Config } from '../config';
import type { AlertSettings } from './notifier';

export function alertSettingsFrom(config: Pick<Config, 'ALERT_WEBHOOK_URL' | 'ALERT_CHANNEL' | 'ALERT_SECRET'>): AlertSettings | undefined {
  if (!config.ALERT_WEBHOOK_URL) return undefined;
  return { channel: config.ALERT_CHANNEL, url: config.ALERT_WEBHOOK_URL, secret: config.ALERT_SECRET };
}
