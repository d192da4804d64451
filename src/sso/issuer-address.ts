// Where the relying party may connect (SSRF): the issuer URL is a tenant admin's input, and the
// server itself fetches discovery, the key set (jwks_uri) and the token endpoint. Unless the
// operator sets SSO_ALLOW_PRIVATE_ISSUERS, every address a host resolves to must be public
// (not private, loopback, link-local, unique-local, reserved or the cloud metadata address),
// checked after DNS resolution at the moment of connecting, so a DNS answer that changes between
// a check and the connection (rebinding) cannot reach an internal address.
import { lookup as dnsLookup } from 'node:dns/promises'
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { BlockList, isIP, type LookupFunction } from 'node:net'
import type { CustomFetch } from 'openid-client'

// IANA special-purpose registries (RFC 6890 and updates): nothing an OpenID Provider on the
// internet lives on.
const IPV4_BLOCKED: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network", 0.0.0.0
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, 169.254.169.254 (cloud metadata)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, 255.255.255.255
]

const IPV6_BLOCKED: ReadonlyArray<readonly [string, number]> = [
  ['::', 96], // ::, ::1, IPv4-compatible
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 23], // IETF protocol assignments (Teredo, benchmarking, ORCHID)
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local
  ['ff00::', 8], // multicast
]

const blocked = new BlockList()
for (const [network, prefix] of IPV4_BLOCKED) blocked.addSubnet(network, prefix, 'ipv4')
for (const [network, prefix] of IPV6_BLOCKED) blocked.addSubnet(network, prefix, 'ipv6')

/** The eight 16-bit groups of an IPv6 address (isIP(address) === 6, no zone). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase()
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number]
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head = '', tail] = text.split('::')
  const left = head === '' ? [] : head.split(':')
  const right = tail === undefined || tail === '' ? [] : tail.split(':')
  const fill = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0')
  return [...left, ...fill, ...right].map((group) => parseInt(group, 16))
}

function ipv4Of(high: number, low: number): string {
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`
}

/** An IPv4 address carried inside an IPv6 one (mapped, NAT64 well-known prefix, 6to4). */
function embeddedIpv4(groups: readonly number[]): string | undefined {
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = groups
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) {
    return ipv4Of(g6, g7)
  }
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    return ipv4Of(g6, g7)
  }
  if (g0 === 0x2002 && g1 !== undefined && g2 !== undefined) return ipv4Of(g1, g2)
  return undefined
}

/** Whether an IP address is a public unicast address (anything else, or not an IP: false). */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '')
  const family = isIP(bare)
  if (family === 4) return !blocked.check(bare, 'ipv4')
  if (family !== 6) return false
  const embedded = embeddedIpv4(ipv6Groups(bare))
  if (embedded !== undefined) return !blocked.check(embedded, 'ipv4')
  return !blocked.check(bare, 'ipv6')
}

/** localhost, *.localhost (RFC 6761) and the loopback addresses: where http:// may be allowed. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (isIP(host) === 4) return host.startsWith('127.')
  if (isIP(host) === 6) {
    const groups = ipv6Groups(host)
    const embedded = embeddedIpv4(groups)
    if (embedded !== undefined) return embedded.startsWith('127.')
    return groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1
  }
  return false
}

/** Every address a host name resolves to (DNS, hosts file: what a connection would use). */
export type AddressLookup = (hostname: string) => Promise<readonly string[]>

export const systemLookup: AddressLookup = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address)

/**
 * A connection the policy refuses. A TypeError, as fetch's own network failures are, so that
 * openid-client passes it through; its message is the same whatever the address, so that the
 * tenant admin who chose the URL learns nothing about the internal network. The reason is in
 * `detail`, for the server log.
 */
export class IssuerAddressRefused extends TypeError {
  constructor(
    readonly url: string,
    readonly detail: string,
  ) {
    super(
      'the identity provider could not be reached at this address (the server log has the reason)',
    )
    this.name = 'IssuerAddressRefused'
  }
}

export interface AddressPolicy {
  /** SSO_ALLOW_PRIVATE_ISSUERS: any address, and http:// to loopback hosts. */
  readonly allowPrivate: boolean
  readonly lookup: AddressLookup
}

/** Refuses a URL the policy does not allow before any DNS lookup: scheme, and literal addresses. */
function checkUrl(url: URL, policy: AddressPolicy): void {
  const href = `${url.protocol}//${url.host}`
  if (url.protocol === 'http:') {
    if (!(policy.allowPrivate && isLoopbackHost(url.hostname))) {
      throw new IssuerAddressRefused(
        href,
        'http:// (only https://, or http:// to a loopback host with SSO_ALLOW_PRIVATE_ISSUERS=true)',
      )
    }
  } else if (url.protocol !== 'https:') {
    throw new IssuerAddressRefused(href, `the scheme ${url.protocol}`)
  }
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (policy.allowPrivate) return
  if (isIP(host) !== 0 && !isPublicAddress(host)) {
    throw new IssuerAddressRefused(href, `${host} is not a public address`)
  }
  if (isLoopbackHost(host)) throw new IssuerAddressRefused(href, `${host} is a loopback name`)
}

/** The host's addresses, each of them public (unless the policy allows any); else refused. */
async function resolveAllowed(
  hostname: string,
  href: string,
  policy: AddressPolicy,
): Promise<readonly string[]> {
  let addresses: readonly string[]
  try {
    addresses = await policy.lookup(hostname)
  } catch (error) {
    throw new IssuerAddressRefused(
      href,
      `${hostname} does not resolve (${(error as Error).message})`,
    )
  }
  if (addresses.length === 0) throw new IssuerAddressRefused(href, `${hostname} has no address`)
  if (policy.allowPrivate) return addresses
  const refused = addresses.filter((address) => !isPublicAddress(address))
  if (refused.length > 0) {
    throw new IssuerAddressRefused(
      href,
      `${hostname} resolves to ${refused.join(', ')}, not public`,
    )
  }
  return addresses
}

/** Checks a URL before a request through someone else's fetch (tests): scheme, then every address. */
export async function checkTarget(target: string, policy: AddressPolicy): Promise<void> {
  const url = new URL(target)
  checkUrl(url, policy)
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (isIP(host) === 0) await resolveAllowed(host, `${url.protocol}//${url.host}`, policy)
}

// Discovery documents, key sets and token responses are small; a provider sending more is cut off.
const MAX_RESPONSE_BYTES = 1024 * 1024

/**
 * A fetch for openid-client that connects only where the policy allows: the socket's own DNS
 * lookup is the checked one, so the address checked is the address connected to.
 */
export function guardedFetch(policy: AddressPolicy): CustomFetch {
  const lookup: LookupFunction = (hostname, options, callback) => {
    resolveAllowed(hostname, hostname, policy).then(
      (addresses) => {
        const family = options.family === 4 || options.family === 6 ? options.family : undefined
        const entries = addresses
          .map((address) => ({ address, family: isIP(address) }))
          .filter((entry) => family === undefined || entry.family === family)
        const first = entries[0]
        if (!first) {
          const none = new IssuerAddressRefused(hostname, `${hostname} has no IPv${family} address`)
          callback(none, '', 4)
        } else if (options.all) callback(null, entries)
        else callback(null, first.address, first.family)
      },
      (error: Error) => callback(error as NodeJS.ErrnoException, '', 4),
    )
  }
  const agents = {
    'http:': new HttpAgent({ keepAlive: true, lookup }),
    'https:': new HttpsAgent({ keepAlive: true, lookup }),
  }
  return async (target, init) => {
    const url = new URL(target)
    checkUrl(url, policy)
    const agent = url.protocol === 'http:' ? agents['http:'] : agents['https:']
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest
    const headers = Object.fromEntries(new Headers(init.headers as HeadersInit).entries())
    // openid-client sends strings and URLSearchParams (form posts to the token endpoint).
    const body =
      init.body === undefined || init.body === null
        ? undefined
        : typeof init.body === 'string' || init.body instanceof Uint8Array
          ? init.body
          : init.body instanceof ArrayBuffer
            ? Buffer.from(init.body)
            : String(init.body)
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = send(
        url,
        {
          method: init.method,
          headers,
          agent,
          ...(init.signal ? { signal: init.signal } : {}),
        },
        resolve,
      )
      request.on('error', (error) => {
        // A refusal from the socket's lookup knows only the host; the log wants the URL's origin.
        reject(
          error instanceof IssuerAddressRefused
            ? new IssuerAddressRefused(`${url.protocol}//${url.host}`, error.detail)
            : error,
        )
      })
      request.end(body)
    })
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of response as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size > MAX_RESPONSE_BYTES) {
        response.destroy()
        throw new TypeError(`the identity provider's response exceeds ${MAX_RESPONSE_BYTES} bytes`)
      }
      chunks.push(chunk)
    }
    const responseHeaders = new Headers()
    for (const [name, value] of Object.entries(response.headers)) {
      if (value === undefined) continue
      for (const item of Array.isArray(value) ? value : [value]) responseHeaders.append(name, item)
    }
    const status = response.statusCode ?? 502
    const hasBody = status !== 204 && status !== 304 && init.method !== 'HEAD'
    return new Response(hasBody ? Buffer.concat(chunks) : null, {
      status,
      headers: responseHeaders,
    })
  }
}
