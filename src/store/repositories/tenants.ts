// Tenants: created and found service-wide (by slug from a URL, by id from a token or session);
// a tenant's own SCIM settings are changed through its TenantStore.
import type { TenantId } from '../../domain/ids.ts'
import type { Tenant } from '../../domain/types.ts'

export interface TenantRepository {
  /** Creates a tenant with SCIM disabled and the lenient profile. Throws UniqueViolation('tenants_slug'). */
  create(tenant: { id: TenantId; slug: string; name: string; createdAt: string }): Promise<Tenant>
  getBySlug(slug: string): Promise<Tenant | undefined>
  /**
   * The tenant as of at most half a second ago (cached; this process's own changes show at
   * once): for authenticating requests, where a revoked token must stop working within 1 s.
   */
  getBySlugRecent(slug: string): Promise<Tenant | undefined>
  getById(id: TenantId): Promise<Tenant | undefined>
  /** Every tenant, sorted by slug. */
  list(): Promise<Tenant[]>
}

export interface TenantScimSettings {
  /** Sets (or with null clears) the one valid SCIM token id of the tenant. */
  setToken(tokenId: string | null, at: string): Promise<void>
  /** SPEC §7: the strict SCIM profile on or off. */
  setStrictProfile(strict: boolean): Promise<void>
}
