import { BlockList } from 'node:net';
import { checkAddress, checkUrl, isPublicAddress } from '#src/webhooks/url-guard.js';

const intranet = () => {
  const list = new BlockList();
  list.addSubnet('10.20.0.0', 16, 'ipv4');
  return list;
};
const production = { production: true, allowedNetworks: null };

describe('webhook URL guard (SPEC §16, OWASP SSRF Prevention Cheat Sheet)', () => {
  it('treats loopback, private, link-local, CGNAT, unique-local and mapped private addresses as not public', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '192.168.0.1',
      '172.16.5.4',
      '169.254.169.254',
      '100.64.0.1',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '0.0.0.0',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    for (const address of ['93.184.216.34', '2606:2800:220:1::1']) {
      expect(isPublicAddress(address), address).toBe(true);
    }
  });

  it('in production refuses private addresses and plain http, unless the network is allowed', () => {
    expect(checkAddress('169.254.169.254', 'https:', production)).toMatch(/private/);
    expect(checkAddress('93.184.216.34', 'http:', production)).toMatch(/https/);
    expect(checkAddress('93.184.216.34', 'https:', production)).toBeNull();
    const allowed = { production: true, allowedNetworks: intranet() };
    expect(checkAddress('10.20.3.4', 'http:', allowed)).toBeNull();
    expect(checkAddress('10.21.3.4', 'https:', allowed)).toMatch(/private/);
  });

  it('outside production lets loopback receivers through (tests, local development)', () => {
    expect(checkAddress('127.0.0.1', 'http:', { production: false, allowedNetworks: null })).toBeNull();
  });

  it('checks the addresses a host name resolves to, not only literal IPs', async () => {
    expect(await checkUrl('https://localhost/hook', production)).toMatch(/private|loopback/);
    expect(await checkUrl('https://127.0.0.1/hook', production)).toMatch(/private/);
    expect(await checkUrl('https://[::1]/hook', production)).toMatch(/private/);
    expect(await checkUrl('https://user:pw@93.184.216.34/hook', production)).toMatch(/credentials/);
    expect(
      await checkUrl('http://127.0.0.1:8080/hook', {
        production: true,
        allowedNetworks: (() => {
          const l = new BlockList();
          l.addSubnet('127.0.0.0', 8, 'ipv4');
          return l;
        })(),
      }),
    ).toBeNull();
  });
});
