import { addressAllowed, classifyAddress, literalHostProblem } from '../../src/webhooks/egress-policy';
import { shareSlots } from '../../src/webhooks/webhook-delivery.service';

describe('the webhook egress policy', () => {
  const table: Array<[string, 'public' | 'private' | 'link-local']> = [
    // public
    ['93.184.216.34', 'public'],
    ['8.8.8.8', 'public'],
    ['2606:2800:220:1:248:1893:25c8:1946', 'public'],
    ['[2606:4700:4700::1111]', 'public'],
    ['64:ff9b::5db8:d822', 'public'], // NAT64 of 93.184.216.34
    // loopback
    ['127.0.0.1', 'private'],
    ['127.255.255.254', 'private'],
    ['::1', 'private'],
    // RFC 1918
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    // CGNAT
    ['100.64.0.1', 'private'],
    ['100.127.255.254', 'private'],
    // unique-local
    ['fc00::1', 'private'],
    ['fd12:3456:789a::1', 'private'],
    // unspecified, multicast, broadcast, reserved
    ['0.0.0.0', 'private'],
    ['::', 'private'],
    ['224.0.0.1', 'private'],
    ['239.255.255.250', 'private'],
    ['ff02::1', 'private'],
    ['255.255.255.255', 'private'],
    ['240.0.0.1', 'private'],
    ['192.0.2.1', 'private'],
    // link-local: cloud metadata
    ['169.254.169.254', 'link-local'],
    ['169.254.0.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    // IPv6 forms that embed an IPv4 address are judged by that address
    ['::ffff:127.0.0.1', 'private'],
    ['::ffff:7f00:1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['64:ff9b::a00:1', 'private'],
    ['::a9fe:a9fe', 'link-local'],
    ['::ffff:93.184.216.34', 'public'],
    ['64:ff9b:1::a00:1', 'private'],
  ];

  it.each(table)('classifies %s as %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it('allows private addresses only when told, link-local never', () => {
    expect(addressAllowed('10.0.0.1', false)).toBe(false);
    expect(addressAllowed('10.0.0.1', true)).toBe(true);
    expect(addressAllowed('::1', true)).toBe(true);
    expect(addressAllowed('169.254.169.254', true)).toBe(false);
    expect(addressAllowed('fe80::1', true)).toBe(false);
    expect(addressAllowed('93.184.216.34', false)).toBe(true);
  });

  it('refuses literal addresses in a URL at registration, naming the setting', () => {
    expect(literalHostProblem('http://10.0.0.1/x', false)).toMatch(/WEBHOOK_ALLOW_PRIVATE=true/);
    expect(literalHostProblem('http://10.0.0.1/x', true)).toBeNull();
    expect(literalHostProblem('http://[::ffff:127.0.0.1]:8080/x', false)).toMatch(/WEBHOOK_ALLOW_PRIVATE/);
    // The WHATWG parser normalises other spellings of an address first.
    expect(literalHostProblem('http://2130706433/x', false)).toMatch(/127\.0\.0\.1/);
    expect(literalHostProblem('http://0x7f.1/x', false)).toMatch(/127\.0\.0\.1/);
    expect(literalHostProblem('http://169.254.169.254/latest/meta-data', true)).toMatch(/link-local.*never/);
    expect(literalHostProblem('http://[fe80::1]/x', true)).toMatch(/link-local/);
    // Names are checked when connecting, not here.
    expect(literalHostProblem('https://hooks.example.com/x', false)).toBeNull();
    expect(literalHostProblem('http://localhost:8080/x', false)).toBeNull();
    expect(literalHostProblem('https://93.184.216.34/x', false)).toBeNull();
  });
});

describe('fair sharing of delivery slots', () => {
  const served = new Map([
    ['a', 5],
    ['b', 1],
    ['c', 3],
  ]);
  const lastServed = (id: string) => served.get(id) ?? -1;

  it('gives each endpoint one slot per round, least lately served first, none past its own two', () => {
    expect([...shareSlots(['a', 'b', 'c'], 8, () => 2, lastServed)]).toEqual([
      ['b', 2],
      ['c', 2],
      ['a', 2],
    ]);
    expect([...shareSlots(['a', 'b', 'c'], 2, () => 2, lastServed)]).toEqual([
      ['b', 1],
      ['c', 1],
    ]);
    // An endpoint never served goes before all others.
    expect([...shareSlots(['a', 'new'], 1, () => 2, lastServed)]).toEqual([['new', 1]]);
  });

  it('leaves an endpoint with both its attempts running out', () => {
    const busy = new Map([['hang', 2]]);
    const quotas = shareSlots(
      ['hang', 'ok'],
      8,
      (id) => 2 - (busy.get(id) ?? 0),
      () => 0,
    );
    expect([...quotas]).toEqual([['ok', 2]]);
  });
});
