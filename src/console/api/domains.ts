// A tenant's verified domains (SPEC §1 D10): /api/tenants/:tenant/domains.
import { request, tenantPath } from './client.ts'
import type { DomainView } from './types.ts'

export const listDomains = (tenant: string) =>
  request<DomainView[]>('GET', tenantPath(tenant, 'domains'))

export const addDomain = (tenant: string, domain: string) =>
  request<DomainView>('POST', tenantPath(tenant, 'domains'), { domain })

/** Looks the TXT record up in DNS now; answers the domain, verified, or fails with the reason. */
export const verifyDomain = (tenant: string, domain: string) =>
  request<DomainView>('POST', tenantPath(tenant, 'domains', domain, 'verify'))

export const removeDomain = (tenant: string, domain: string) =>
  request<void>('DELETE', tenantPath(tenant, 'domains', domain))
