import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';

/**
 * Where a webhook may connect. `public`: any ordinary internet address. `private`: loopback,
 * RFC 1918, CGNAT, unique-local, unspecified, multicast, broadcast and reserved ranges (and the
 * IPv6 forms that embed one of those); allowed only with WEBHOOK_ALLOW_PRIVATE=true. `link-local`
 * (169.254/16, fe80::/10): where cloud metadata services answer, never allowed.
 */
export type AddressClass = 'public' | 'private' | 'link-local';

/** IPv6 prefixes that carry an IPv4 address in their last 32 bits (mapped, translated, NAT64, compatible). */
const EMBEDS_IPV4 = [
  ipaddr.IPv6.parseCIDR('::ffff:0:0/96'),
  ipaddr.IPv6.parseCIDR('::ffff:0:0:0/96'),
  ipaddr.IPv6.parseCIDR('64:ff9b::/96'),
  ipaddr.IPv6.parseCIDR('::/96'),
];
/** Local-use NAT64 (RFC 8215): translated to addresses inside the network. */
const LOCAL_NAT64 = ipaddr.IPv6.parseCIDR('64:ff9b:1::/48');

/** The class of an IP address (ranges from ipaddr.js); throws on text that is not one. */
export function classifyAddress(text: string): AddressClass {
  let ip: ipaddr.IPv4 | ipaddr.IPv6 = ipaddr.parse(text.replace(/^\[(.*)\]$/, '$1'));
  if (ip.kind() === 'ipv6') {
    const v6 = ip as ipaddr.IPv6;
    if (v6.range() === 'unspecified' || v6.range() === 'loopback' || v6.match(LOCAL_NAT64)) return 'private';
    // The IPv4 address inside is where the packet ends up: classify that one.
    if (EMBEDS_IPV4.some((cidr) => v6.match(cidr))) {
      const b = v6.toByteArray().slice(12);
      ip = new ipaddr.IPv4(b);
    }
  }
  const range = ip.range();
  if (range === 'linkLocal') return 'link-local';
  return range === 'unicast' ? 'public' : 'private';
}

/** Whether an address may be connected to under the policy. */
export function addressAllowed(address: string, allowPrivate: boolean): boolean {
  const cls = classifyAddress(address);
  return cls === 'public' || (cls === 'private' && allowPrivate);
}

/** A connection refused by the egress policy (before any packet was sent to the address). */
export class EgressRefusedError extends Error {
  readonly code = 'EGRESS_REFUSED';
  constructor() {
    super('address not allowed');
    this.name = 'EgressRefusedError';
  }
}

/**
 * The problem with a webhook URL's host when it is a literal address the policy refuses (names
 * are checked when connecting, since their answer may change); null when it is fine.
 */
export function literalHostProblem(url: string, allowPrivate: boolean): string | null {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return null; // the URL's own validation speaks for that
  }
  if (!isIP(host)) return null;
  const cls = classifyAddress(host);
  if (cls === 'link-local') {
    return `url: ${host} is a link-local address (where cloud metadata answers); webhooks never go there`;
  }
  if (cls === 'private' && !allowPrivate) {
    return `url: ${host} is a private, loopback or reserved address; webhooks go only to public addresses unless WEBHOOK_ALLOW_PRIVATE=true`;
  }
  return null;
}
