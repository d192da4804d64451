// Verified domains of a tenant (SPEC §1 D10): add a domain (Rollcall gives the TXT record to
// publish), verify it (the record is looked up in DNS, or the operator vouches), list, remove.
// A domain verified by one tenant cannot be claimed or verified by another.
import { randomBytes } from 'node:crypto'
import {
  challengeFound,
  challengeRecordName,
  challengeRecordValue,
  parseDomain,
} from '../domain/domains.ts'
import type { Tenant } from '../domain/types.ts'
import { AppError } from '../errors.ts'
import { UniqueViolation, type Store, type TenantDomainRecord } from '../store/store.ts'

/** Looks up the TXT records at a DNS name; rejects on timeouts and resolver failures. */
export type TxtResolver = (name: string) => Promise<string[][]>

/** What the CLI and the admin API show of a domain. */
export interface DomainView {
  readonly domain: string
  readonly status: 'pending' | 'verified'
  /** Publish a TXT record with this name… */
  readonly txtName: string
  /** …and this value, then verify. */
  readonly txtValue: string
  readonly verifiedAt: string | null
  readonly verifiedMethod: 'dns' | 'operator' | null
  readonly verifiedBy: string | null
  readonly createdAt: string
}

export function domainView(record: TenantDomainRecord): DomainView {
  return {
    domain: record.domain,
    status: record.status,
    txtName: challengeRecordName(record.domain),
    txtValue: challengeRecordValue(record.challenge),
    verifiedAt: record.verifiedAt,
    verifiedMethod: record.verifiedMethod,
    verifiedBy: record.verifiedBy,
    createdAt: record.createdAt,
  }
}

function domainArgument(value: string): string {
  const domain = parseDomain(value)
  if (domain === undefined) {
    throw AppError.invalidRequest(
      `"${value.slice(0, 300)}" is not a domain name. Give the email domain of the ` +
        "organisation's users, e.g. contoso.com.",
    )
  }
  return domain
}

// Names no tenant: a domain's owner is nobody else's business.
function verifiedElsewhere(domain: string): AppError {
  return AppError.domainTaken(
    `The domain ${domain} is already verified by another organisation. A domain belongs to one ` +
      'organisation only; if it is yours, ask the operator of this Rollcall service.',
  )
}

function notFound(domain: string): AppError {
  return AppError.notFound(`This tenant has no domain ${domain}. Add it first (domain add).`)
}

export async function addDomain(
  store: Store,
  tenant: Tenant,
  value: string,
  now: Date = new Date(),
): Promise<TenantDomainRecord> {
  const domain = domainArgument(value)
  const owner = await store.domains.owner(domain)
  if (owner !== undefined && owner !== tenant.id) throw verifiedElsewhere(domain)
  try {
    return await store.forTenant(tenant.id).domains.add({
      domain,
      challenge: randomBytes(18).toString('base64url'),
      status: 'pending',
      verifiedAt: null,
      verifiedMethod: null,
      verifiedBy: null,
      createdAt: now.toISOString(),
    })
  } catch (error) {
    if (error instanceof UniqueViolation) {
      throw AppError.conflict(
        `This tenant already has the domain ${domain} (domain list shows its TXT record).`,
      )
    }
    throw error
  }
}

export async function listDomains(store: Store, tenant: Tenant): Promise<TenantDomainRecord[]> {
  return store.forTenant(tenant.id).domains.list()
}

export async function getDomain(
  store: Store,
  tenant: Tenant,
  value: string,
): Promise<TenantDomainRecord> {
  const domain = domainArgument(value)
  const record = await store.forTenant(tenant.id).domains.get(domain)
  if (!record) throw notFound(domain)
  return record
}

export type DomainVerification =
  /** Looked up in DNS; `resolve` may reject (timeout, NXDOMAIN), which reads as "not found". */
  | { readonly method: 'dns'; readonly resolve: TxtResolver }
  /** The operator vouches for the domain (CLI --force); recorded with their name. */
  | { readonly method: 'operator'; readonly by: string }

/**
 * Verifies a tenant's domain. Already verified: returned as is. Refused (domain_taken) when another
 * tenant verified it meanwhile; domain_not_verified, with what was looked up, when the TXT record
 * is not found.
 */
export async function verifyDomain(
  store: Store,
  tenant: Tenant,
  value: string,
  how: DomainVerification,
  now: Date = new Date(),
): Promise<TenantDomainRecord> {
  const record = await getDomain(store, tenant, value)
  if (record.status === 'verified') return record
  const owner = await store.domains.owner(record.domain)
  if (owner !== undefined && owner !== tenant.id) throw verifiedElsewhere(record.domain)
  const name = challengeRecordName(record.domain)
  if (how.method === 'dns') {
    let found: string[][]
    let failure = ''
    try {
      found = await how.resolve(name)
    } catch (error) {
      found = []
      const code = (error as { code?: string }).code
      failure =
        code === 'ENOTFOUND' || code === 'ENODATA'
          ? ' DNS has no TXT record at that name yet.'
          : ` The DNS lookup failed (${code ?? 'error'}).`
    }
    if (!challengeFound(found, record.challenge)) {
      throw AppError.domainNotVerified(
        `The TXT record for ${record.domain} was not found.${failure} Publish a TXT record named ` +
          `${name} with the value ${challengeRecordValue(record.challenge)} at the domain's DNS ` +
          'provider, wait for it to propagate (minutes to an hour), then verify again.',
      )
    }
  }
  try {
    const verified = await store.forTenant(tenant.id).domains.markVerified(record.domain, {
      at: now.toISOString(),
      method: how.method,
      by: how.method === 'dns' ? name : how.by,
    })
    if (!verified) throw notFound(record.domain)
    return verified
  } catch (error) {
    if (error instanceof UniqueViolation) throw verifiedElsewhere(record.domain)
    throw error
  }
}

/** Removes a tenant's domain and returns it normalised (`Contoso.COM ` → `contoso.com`). */
export async function removeDomain(store: Store, tenant: Tenant, value: string): Promise<string> {
  const domain = domainArgument(value)
  if (!(await store.forTenant(tenant.id).domains.remove(domain))) throw notFound(domain)
  return domain
}
