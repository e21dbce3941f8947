import path from 'node:path';
import { ConfigError, loadConfig } from '../../../server/config';

describe('configuration', () => {
  it('defaults to the embedded mode', () => {
    // given an empty environment
    // when
    const config = loadConfig({}, '/srv/app');
    // then
    expect(config).toMatchObject({
      PORT: 3000,
      dataDir: path.resolve('/srv/app', './data'),
      embeddedTemporal: true,
      embeddedMongo: true,
      TEMPORAL_NAMESPACE: 'default',
      EMBEDDED_TEMPORAL_PORT: 7233,
      EMBEDDED_FERRETDB_PORT: 27017,
    });
  });

  it('uses external servers when their addresses are given', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'temporal.example:7233', MONGODB_URI: 'mongodb://db.example/' });
    expect(config.embeddedTemporal).toBe(false);
    expect(config.embeddedMongo).toBe(false);
  });

  it('names every bad variable', () => {
    // given two bad values
    const env = { PORT: 'eighty', DATA_DIR: '/tmp/x', EMBEDDED_FERRETDB_PORT: '70000' };
    // when
    let error: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      error = err;
    }
    // then
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues.map((i) => i.variable).sort();
    expect(issues).toEqual(['EMBEDDED_FERRETDB_PORT', 'PORT']);
    expect((error as Error).message).toMatch(/PORT: /);
  });

  it('never echoes a bad value, which may be a secret', () => {
    expect(() => loadConfig({ TEMPORAL_TLS: 'sekrit-value' })).toThrow(ConfigError);
    try {
      loadConfig({ TEMPORAL_TLS: 'sekrit-value' });
    } catch (err) {
      expect((err as Error).message).toMatch(/TEMPORAL_TLS/);
      expect((err as Error).message).not.toMatch(/sekrit/);
    }
  });

  it('runs the API and a worker by default, and the API alone only against shared servers with a shared link key', () => {
    // given the defaults, then an API-only process with everything it needs
    expect(loadConfig({}).SERVICE_ROLE).toBe('all');
    const shared = { TEMPORAL_ADDRESS: 'temporal.example:7233', MONGODB_URI: 'mongodb://db.example/', CUSTOMER_LINK_KEY: 'k'.repeat(40), PAYLOAD_KEYS: `k1:${'ab'.repeat(32)}` };
    expect(loadConfig({ ...shared, SERVICE_ROLE: 'api' })).toMatchObject({ SERVICE_ROLE: 'api', embeddedTemporal: false, embeddedMongo: false });
    // when the role is unknown, or the API-only process lacks its shared servers and key
    let error: unknown;
    try {
      loadConfig({ SERVICE_ROLE: 'api', TEMPORAL_ADDRESS: shared.TEMPORAL_ADDRESS });
    } catch (err) {
      error = err;
    }
    // then each missing variable is named
    expect((error as ConfigError).issues.map((i) => i.variable).sort()).toEqual(['CUSTOMER_LINK_KEY', 'MONGODB_URI', 'PAYLOAD_KEYS']);
    expect(() => loadConfig({ ...shared, SERVICE_ROLE: 'worker' })).toThrow(/SERVICE_ROLE/);
  });

  it('refuses half an mTLS pair', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CERT_PATH: '/certs/client.pem' })).toThrow(/TEMPORAL_TLS_KEY_PATH/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', TEMPORAL_ADDRESS: '' })).toMatchObject({ PORT: 3000, embeddedTemporal: true });
  });

  it('routes low-score alerts to customer-experience by default and checks owner groups and alert contacts', () => {
    expect(loadConfig({})).toMatchObject({ TOUCHPOINT_OWNERS: {}, ALERT_DEFAULT_GROUP: 'customer-experience', ALERT_REOPEN_WINDOW: 'P7D', ALERT_SMS_CREDENTIAL: 'sms' });
    expect(loadConfig({ TOUCHPOINT_OWNERS: 'store-42=store-ops, hotline=call-centre', ALERT_SMS_TO: 'store-ops=+8613800000001,store-ops=+8613800000002' }).TOUCHPOINT_OWNERS)
      .toEqual({ 'store-42': 'store-ops', hotline: 'call-centre' });
    // given an owner that is not a group id and contacts that are not a number / an address
    let error: unknown;
    try {
      loadConfig({ TOUCHPOINT_OWNERS: 'store-42=Store Ops', ALERT_SMS_TO: 'store-ops=13800000001', ALERT_EMAIL_TO: 'store-ops=not-mail', ALERT_REOPEN_WINDOW: '7 days' });
    } catch (err) {
      error = err;
    }
    // then each variable is named, and the contact itself is not echoed
    const issues = (error as ConfigError).issues;
    expect(issues.map((i) => i.variable).sort()).toEqual(['ALERT_EMAIL_TO', 'ALERT_REOPEN_WINDOW', 'ALERT_SMS_TO', 'TOUCHPOINT_OWNERS']);
    expect(JSON.stringify(issues)).not.toContain('13800000001');
    expect(JSON.stringify(issues)).not.toContain('not-mail');
  });
});
