// The TXT lookup of domain verification: node:dns with a bounded time, optionally against given
// servers (DOMAIN_VERIFICATION_DNS_SERVERS) instead of the system's.
import { Resolver } from 'node:dns/promises'
import type { TxtResolver } from './domains.ts'

export interface DnsResolverOptions {
  /** "host" or "host:port" entries; empty means the system resolver configuration. */
  readonly dnsServers: readonly string[]
  readonly timeoutMs: number
}

export function dnsTxtResolver(options: DnsResolverOptions): TxtResolver {
  // tries: 2 attempts per server, each bounded by timeout.
  const resolver = new Resolver({ timeout: options.timeoutMs, tries: 2 })
  if (options.dnsServers.length > 0) resolver.setServers([...options.dnsServers])
  return (name) => resolver.resolveTxt(name)
}
