import ipaddr from 'ipaddr.js';
import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { isIP } from 'node:net';

/**
 * Server-side request forgery guard for webhook targets. A target must be https and every
 * address its host resolves to must be public; the delivery then connects to the address that
 * was checked (see pinnedLookup), so a DNS answer that changes in between (rebinding) cannot
 * steer a request into the private network.
 *
 * "Public" is ipaddr.js's `unicast` range: loopback, private, link-local (cloud metadata
 * 169.254.169.254), carrier-grade NAT, unique-local, multicast, reserved, documentation,
 * benchmarking, Teredo and the rest are refused. IPv4 carried inside IPv6 is judged as IPv4.
 */
export function isForbiddenAddress(address: string): boolean {
  if (!ipaddr.isValid(address) || isIP(address) === 0) return true; // not an IP address at all
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    // IPv4-compatible ::/96 (deprecated; [::127.0.0.1] reaches loopback on many stacks), :: and ::1 included.
    if (v6.parts.slice(0, 6).every((g) => g === 0)) return true;
    // Site-local fec0::/10 (deprecated, still routed inside some networks).
    if ((v6.parts[0] & 0xffc0) === 0xfec0) return true;
    const v4 = embeddedIpv4(v6);
    if (v4) parsed = v4;
  }
  return parsed.range() !== 'unicast';
}

/**
 * IPv4 written inside IPv6 and judged as IPv4: mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96,
 * 64:ff9b:1::/48) and 6to4 (2002::/16).
 */
function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const p = address.parts;
  const fromWords = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
  if (p.slice(0, 5).every((g) => g === 0) && p[5] === 0xffff) return fromWords(p[6], p[7]);
  if (p[0] === 0x64 && p[1] === 0xff9b && (p[2] === 1 || p.slice(2, 6).every((g) => g === 0))) return fromWords(p[6], p[7]);
  if (p[0] === 0x2002) return fromWords(p[1], p[2]);
  return undefined;
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
        // The resolved address is not echoed: it would map the internal network for the caller.
        throw new TargetRefused('targetUrl must not point at a loopback, private, link-local or metadata address', 'target_address');
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
