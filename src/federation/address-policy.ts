import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';

/**
 * Addresses other servers' URLs may lead Hearth to: global unicast only.
 * Without this, a remote actor could make Hearth fetch its own admin ports or
 * a cloud metadata service.
 *
 * ipaddr.js names the special ranges; anything it does not call `unicast` is
 * refused (loopback, private, link-local, carrier-grade NAT, documentation,
 * benchmarking, multicast, reserved…). IPv6 must also lie in global unicast
 * (2000::/3), which leaves out site-local `fec0::/10` and the old
 * IPv4-compatible `::a.b.c.d`.
 *
 * An IPv4 address written as IPv6 (`::ffff:a.b.c.d`) is judged as that IPv4
 * address. Addresses that only carry an IPv4 address through a translator
 * or tunnel (NAT64 `64:ff9b::/96` and `64:ff9b:1::/48`, 6to4 `2002::/16`,
 * Teredo `2001::/32`) are refused outright rather than unwrapped: what they
 * reach depends on gateways Hearth cannot see (a NAT64 gateway on the
 * server's own network turns them into its private addresses), and no
 * fediverse server needs to be reached that way.
 */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

export function isPublicAddress(address: string): boolean {
  if (isIP(address) === 0) return false;
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch (error) {
    if (error instanceof Error) return false;
    throw error;
  }
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().range() === 'unicast';
    return v6.range() === 'unicast' && v6.match(GLOBAL_UNICAST_V6);
  }
  return parsed.range() === 'unicast';
}
