// Email domains a tenant claims and verifies (SPEC §1 D10); which tenant verified a domain is
// asked across tenants (D11, D12).
import type { TenantId } from '../../domain/ids.ts'

/** D10: a domain is pending until its TXT record is found or the operator vouches for it. */
export type DomainStatus = 'pending' | 'verified'

/** An email domain a tenant claims (SPEC §1 D10). */
export interface TenantDomainRecord {
  readonly tenantId: TenantId
  /** Normalised (lower case). */
  readonly domain: string
  /** The random part of the TXT record value the tenant publishes. */
  readonly challenge: string
  readonly status: DomainStatus
  readonly verifiedAt: string | null
  /** How it was verified: the TXT record was found, or the operator vouched for it. */
  readonly verifiedMethod: 'dns' | 'operator' | null
  /** Who vouched (operator), or the record name that was found (dns). */
  readonly verifiedBy: string | null
  readonly createdAt: string
}

/** A new domain claim; its tenant is the TenantStore's. */
export type DomainWrite = Omit<TenantDomainRecord, 'tenantId'>

/** One tenant's domains. */
export interface DomainRepository {
  /**
   * Adds a pending domain to a tenant. Throws UniqueViolation('tenant_domains_tenant') when the
   * tenant has it already.
   */
  add(record: DomainWrite): Promise<TenantDomainRecord>
  get(domain: string): Promise<TenantDomainRecord | undefined>
  /** The tenant's domains, in name order. */
  list(): Promise<TenantDomainRecord[]>
  /**
   * Marks a tenant's domain verified. Throws UniqueViolation('tenant_domains_verified') when
   * another tenant verified it first (the database decides: a partial unique index).
   */
  markVerified(
    domain: string,
    verification: { at: string; method: 'dns' | 'operator'; by: string },
  ): Promise<TenantDomainRecord | undefined>
  remove(domain: string): Promise<boolean>
}

export interface DomainOwnership {
  /** The id of the tenant that verified this domain, if any (D11, D12); the transaction's view. */
  owner(domain: string): Promise<TenantId | undefined>
}
