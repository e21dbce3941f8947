import { isHostAllowed } from '../../../activities/transport/hostAllowList';

describe('isHostAllowed', () => {
  it.each([
    ['https://api.example.com/x', ['api.example.com'], true],
    ['https://API.Example.com./x', ['api.example.com'], true],
    ['http://api.example.com:8080/', ['api.example.com'], true],
    ['http://api.example.com:8080/', ['api.example.com:8443'], false],
    ['https://api.example.com/', ['api.example.com:443'], true],
    ['https://a.b.example.com/', ['*.example.com'], true],
    ['https://example.com/', ['*.example.com'], false],
    ['https://evil-example.com/', ['*.example.com'], false],
    ['https://api.example.com.evil.net/', ['api.example.com'], false],
    ['http://127.0.0.1:9000/', [], false],
    ['http://127.0.0.1:9000/', ['api.example.com'], false],
    ['http://2130706433/', ['api.example.com'], false],
    ['http://127.0.0.1:9000/', ['127.0.0.1'], true],
    ['http://2130706433:9000/', ['127.0.0.1:9000'], true],
    ['http://[::1]:9000/', ['[::1]'], true],
    ['http://[::1]:9000/', ['::1'], true],
    ['http://[::1]:9000/', ['[::1]:9001'], false],
    ['http://localhost/', ['127.0.0.1'], false],
    ['ftp://api.example.com/', ['api.example.com'], false],
    // both sides normalised: IPv4 spelt in decimal, octal or hex, IPv4-mapped IPv6, trailing dots
    ['http://127.0.0.1:9000/', ['2130706433:9000'], true],
    ['http://127.0.0.1:9000/', ['0177.0.0.1'], true],
    ['http://127.0.0.1:9000/', ['0x7f.1'], true],
    ['http://127.0.0.2:9000/', ['2130706433'], false],
    ['http://[::ffff:127.0.0.1]:9000/', ['127.0.0.1:9000'], true],
    ['http://[::ffff:7f00:1]:9000/', ['127.0.0.1'], true],
    ['http://127.0.0.1:9000/', ['[::ffff:127.0.0.1]'], true],
    ['http://[::ffff:10.0.0.1]/', ['127.0.0.1'], false],
    ['http://[::ffff:127.0.0.1]/', ['api.example.com'], false],
    ['http://[0:0:0:0:0:0:0:1]/', ['[::1]'], true],
    ['http://[::1]/', ['0:0:0:0:0:0:0:1'], true],
    ['http://127.0.0.1./', ['127.0.0.1'], true],
    ['https://api.example.com/', ['api.example.com.'], true],
    ['http://0x7f000001/', ['10.0.0.1', 'api.example.com'], false],
  ])('%s with %j -> %s', (url, allowed, expected) => {
    // when
    const allowedNow = isHostAllowed(new URL(url), allowed);

    // then
    expect(allowedNow).toBe(expected);
  });
});
