import { goRuntime } from '../../../server/infra/embeddedServers';

describe("the embedded Go servers' runtime settings", () => {
  it('collects less often than Go by default, within a memory limit', () => {
    expect(goRuntime({}, '512MiB')).toEqual({ GOGC: '400', GOMEMLIMIT: '512MiB' });
  });

  it('leaves values set in our own environment as they are', () => {
    expect(goRuntime({ GOGC: '100', GOMEMLIMIT: '2GiB' }, '512MiB')).toEqual({ GOGC: '100', GOMEMLIMIT: '2GiB' });
    expect(goRuntime({ GOGC: 'off' }, '1GiB')).toEqual({ GOGC: 'off', GOMEMLIMIT: '1GiB' });
  });
});
