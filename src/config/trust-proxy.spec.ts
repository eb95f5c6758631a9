import { readTrustProxy } from '#src/config/trust-proxy.js';

describe(readTrustProxy.name, () => {
  it('trusts no proxy when unset or empty', () => {
    expect(readTrustProxy({})).toBe(false);
    expect(readTrustProxy({ TRUST_PROXY: ' ' })).toBe(false);
  });

  it('reads addresses, CIDR ranges and loopback, comma-separated', () => {
    expect(readTrustProxy({ TRUST_PROXY: 'loopback, 10.0.0.0/8,192.168.1.7 , ::1, fd00::/8' })).toEqual([
      'loopback',
      '10.0.0.0/8',
      '192.168.1.7',
      '::1',
      'fd00::/8',
    ]);
  });

  it.each(['true', '10.0.0.300', '10.0.0.0/33', '10.0.0.0/0', 'fd00::/129', '10.0.0.0/8/1', 'loopback,,10.0.0.1', '*'])(
    'stops the start on %s, naming TRUST_PROXY',
    (value) => {
      expect(() => readTrustProxy({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
    },
  );
});
