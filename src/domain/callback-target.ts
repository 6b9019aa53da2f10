import ipaddr from 'ipaddr.js';

/**
 * Where the platform may send callbacks. A `callback_url` is a request the
 * server makes on a client's behalf, so without these rules a client could make
 * it reach the cloud metadata service or anything on the private network
 * (OWASP SSRF Prevention Cheat Sheet). Only public unicast addresses pass,
 * unless an operator admits a host or network explicitly (on-premise receivers,
 * tests).
 */
export interface CallbackAllowList {
  /** Host names and IP literals admitted as written (lower case, no trailing dot). */
  readonly hosts: ReadonlySet<string>;
  /** Networks admitted by address. */
  readonly networks: readonly (readonly [ipaddr.IPv4 | ipaddr.IPv6, number])[];
}

export const EMPTY_ALLOW_LIST: CallbackAllowList = { hosts: new Set(), networks: [] };

/** Parses `host`, `10.0.0.5`, `10.0.0.0/8`, `[fd00::1]` or `fd00::/8` entries; returns the entries it cannot read. */
export function parseAllowList(entries: readonly string[]): { allow: CallbackAllowList; invalid: string[] } {
  const hosts = new Set<string>();
  const networks: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  const invalid: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase().replace(/^\[|\]$/g, '');
    if (entry === '') continue;
    if (entry.includes('/')) {
      try {
        networks.push(ipaddr.parseCIDR(entry));
      } catch {
        invalid.push(raw);
      }
    } else if (ipaddr.isValid(entry)) {
      hosts.add(normaliseIp(ipaddr.parse(entry)).toString());
    } else if (/^[a-z0-9.-]+$/.test(entry)) {
      hosts.add(entry.replace(/\.$/, ''));
    } else {
      invalid.push(raw);
    }
  }
  return { allow: { hosts, networks }, invalid };
}

/** The entries `parseAllowList` reads back into the same list: how the list crosses to another thread. */
export function allowListEntries(allow: CallbackAllowList): string[] {
  return [...allow.hosts, ...allow.networks.map(([network, bits]) => `${network.toString()}/${bits}`)];
}

export type TargetCheck = { readonly ok: true } | { readonly ok: false; readonly rule: string; readonly message: string };

const OK: TargetCheck = { ok: true };

/**
 * Names that resolve inside the network by convention: localhost (RFC 6761),
 * mDNS `.local`, the private-use `.internal` and `.home.arpa` zones, and
 * single-label names, which resolvers complete with internal search domains.
 */
function isInternalName(host: string): boolean {
  if (!host.includes('.')) return true;
  return ['localhost', 'local', 'internal', 'home.arpa', 'localdomain'].some((zone) => host === zone || host.endsWith(`.${zone}`));
}

/** The host of a URL without brackets or a trailing dot, lower case. */
export function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

/**
 * Checks a URL at case creation. The WHATWG URL parser has already rewritten
 * every IPv4 spelling (decimal `2130706433`, octal `0177.0.0.1`, hex, short
 * `127.1`) to dotted quads and IPv6 to its canonical form, so one
 * classification covers them all. Names are checked again, by the address
 * actually connected to, at delivery.
 */
export function checkCallbackUrl(url: URL, allow: CallbackAllowList): TargetCheck {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, rule: 'scheme', message: 'must use http or https' };
  if (url.username !== '' || url.password !== '') return { ok: false, rule: 'credentials', message: 'must not carry a user name or password' };
  const host = hostOf(url);
  if (allow.hosts.has(host)) return OK;
  if (ipaddr.isValid(host)) return checkAddress(host, allow);
  if (isInternalName(host)) {
    return { ok: false, rule: 'private_address', message: `must name a public host ("${host}" is a local or internal name)` };
  }
  return OK;
}

/** IPv4-mapped IPv6 (`::ffff:127.0.0.1`) is the IPv4 address it carries. */
function normaliseIp(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;
}

/** Checks one IP address (a literal in the URL, or the address a delivery connects to). */
export function checkAddress(ip: string, allow: CallbackAllowList): TargetCheck {
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = normaliseIp(ipaddr.parse(ip));
  } catch {
    return { ok: false, rule: 'private_address', message: `"${ip}" is not an IP address` };
  }
  if (allow.hosts.has(address.toString())) return OK;
  for (const [network, bits] of allow.networks) {
    if (network.kind() === address.kind() && address.match(network, bits)) return OK;
  }
  // Only ordinary public unicast passes: this excludes loopback, private
  // (RFC 1918), link-local (and with it 169.254.169.254, the cloud metadata
  // service), unique-local, CGNAT, unspecified, multicast, reserved and
  // documentation ranges, and IPv6 forms that tunnel to IPv4 (NAT64, 6to4, Teredo).
  const range = address.range();
  if (range === 'unicast') return OK;
  return { ok: false, rule: 'private_address', message: `must point at a public address (${address.toString()} is ${range})` };
}
