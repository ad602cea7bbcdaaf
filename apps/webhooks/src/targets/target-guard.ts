import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Server-side request forgery guard for webhook targets. A target must be https and every
 * address its host resolves to must be public; the delivery then connects to the address that
 * was checked (see pinnedLookup), so a DNS answer that changes in between (rebinding) cannot
 * steer a request into the private network.
 */
const FORBIDDEN = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT (also Alibaba Cloud's metadata 100.100.100.200)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata 169.254.169.254
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  FORBIDDEN.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local (also AWS metadata fd00:ec2::254)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  FORBIDDEN.addSubnet(network, prefix, 'ipv6');
}

/** IPv4 written inside IPv6 (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) is judged as IPv4. */
function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::|::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const groups = expandIpv6(lower);
  if (!groups) return undefined;
  const asV4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return asV4(groups[6], groups[7]);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0)) return asV4(groups[6], groups[7]);
  if (groups[0] === 0x2002) return asV4(groups[1], groups[2]);
  return undefined;
}

function expandIpv6(address: string): number[] | undefined {
  if (address.includes('.')) return undefined;
  const [head, tail] = address.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = address.includes('::') ? parse(tail) : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill(0), ...right] : left;
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return FORBIDDEN.check(address, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    if (v4) return FORBIDDEN.check(v4, 'ipv4');
    return FORBIDDEN.check(address, 'ipv6');
  }
  return true; // not an IP address at all
}

export class TargetRefused extends Error {
  constructor(
    message: string,
    readonly code: 'target_scheme' | 'target_address' | 'target_unresolvable' | 'target_invalid',
  ) {
    super(message);
    this.name = 'TargetRefused';
  }
}

export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );

export interface ResolvedTarget {
  url: URL;
  /** The address the request must connect to. */
  address: LookupAddress;
}

export class TargetGuard {
  constructor(
    private readonly allowPrivate: boolean,
    private readonly resolve: Resolver = systemResolver,
  ) {}

  /** The URL's own rules: absolute http(s), no credentials, https unless private targets are allowed. */
  checkUrl(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new TargetRefused('targetUrl must be an absolute URL', 'target_invalid');
    }
    if (url.protocol !== 'https:' && !(this.allowPrivate && url.protocol === 'http:')) {
      throw new TargetRefused('targetUrl must use https', 'target_scheme');
    }
    if (url.username || url.password) throw new TargetRefused('targetUrl must not carry credentials', 'target_invalid');
    return url;
  }

  /** Resolves the host and refuses it if any of its addresses is not public. */
  async resolveTarget(raw: string): Promise<ResolvedTarget> {
    const url = this.checkUrl(raw);
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: LookupAddress[];
    if (isIP(hostname)) {
      addresses = [{ address: hostname, family: isIP(hostname) }];
    } else {
      try {
        addresses = await this.resolve(hostname);
      } catch {
        throw new TargetRefused(`targetUrl host ${hostname} does not resolve`, 'target_unresolvable');
      }
      if (addresses.length === 0) throw new TargetRefused(`targetUrl host ${hostname} does not resolve`, 'target_unresolvable');
    }
    if (!this.allowPrivate) {
      const refused = addresses.find((a) => isForbiddenAddress(a.address));
      if (refused) {
        throw new TargetRefused(
          `targetUrl must not point at a loopback, private, link-local or metadata address (${hostname} is ${refused.address})`,
          'target_address',
        );
      }
    }
    return { url, address: addresses[0] };
  }
}

/** An http(s) `lookup` that answers with the already-checked address whatever the host. */
export function pinnedLookup(address: LookupAddress) {
  return (_hostname: string, options: unknown, callback: (...args: unknown[]) => void) => {
    if ((options as { all?: boolean })?.all) callback(null, [address]);
    else callback(null, address.address, address.family);
  };
}
