import ipAllowlistConfig from '#src/ip-allowlist/ip-allowlist.config.js';

describe('ipAllowlistConfig', () => {
  afterEach(() => {
    delete process.env.IP_ALLOWLIST_ADMIN;
    delete process.env.IP_ALLOWLIST_SUPPORT;
  });

  it('reads one list per role from IP_ALLOWLIST_<ROLE>, addresses and CIDR ranges, IPv4 and IPv6', () => {
    process.env.IP_ALLOWLIST_ADMIN = '10.0.0.0/8, 127.0.0.1';
    process.env.IP_ALLOWLIST_SUPPORT = '2001:db8::/32';
    const lists = ipAllowlistConfig();
    expect(Object.keys(lists).sort()).toEqual(['admin', 'support']);
    expect(lists.admin.check('10.20.30.40', 'ipv4')).toBe(true);
    expect(lists.admin.check('127.0.0.1', 'ipv4')).toBe(true);
    expect(lists.admin.check('127.0.0.2', 'ipv4')).toBe(false);
    expect(lists.support.check('2001:db8::1', 'ipv6')).toBe(true);
  });

  it.each(['10.0.0.0/33', 'not-an-ip', '10.0.0.1/8/1', ' , '])('refuses %j and names the variable', (value) => {
    process.env.IP_ALLOWLIST_ADMIN = value;
    expect(() => ipAllowlistConfig()).toThrow(/IP_ALLOWLIST_ADMIN/);
  });
});
