import { alertSettingsFrom } from '../../../server/alerts/settings';
import { ConfigError, loadConfig } from '../../../server/config';

describe('alert configuration', () => {
  it('sends no alerts unless ALERT_WEBHOOK_URL is set', () => {
    expect(alertSettingsFrom(loadConfig({}))).toBeUndefined();
  });

  it('reads the channel, address and secret', () => {
    // when
    const config = loadConfig({ ALERT_WEBHOOK_URL: 'https://oapi.dingtalk.com/robot/send?access_token=t', ALERT_CHANNEL: 'dingtalk', ALERT_SECRET: 'SEC0123456789' });
    // then
    expect(alertSettingsFrom(config)).toEqual({ channel: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=t', secret: 'SEC0123456789' });
  });

  it('names a bad channel or address without echoing it', () => {
    // when
    let error: unknown;
    try {
      loadConfig({ ALERT_WEBHOOK_URL: 'ftp://hooks.example/x', ALERT_CHANNEL: 'slack' });
    } catch (err) {
      error = err;
    }
    // then
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.variable).sort()).toEqual(['ALERT_CHANNEL', 'ALERT_WEBHOOK_URL']);
    expect((error as ConfigError).message).not.toContain('hooks.example');
  });
});
