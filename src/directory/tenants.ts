// Tenants as operators and admins change them (CLI now, admin API next): create one, find one by
// the slug an operator types, and its SCIM profile setting.
import { newTenantId } from '../domain/ids.ts'
import { isValidSlug } from '../domain/slugs.ts'
import type { Tenant } from '../domain/types.ts'
import { AppError } from '../errors.ts'
import { UniqueViolation, type Store } from '../store/store.ts'

/**
 * Creates a tenant (SCIM disabled, the lenient profile); `name` defaults to the slug. Throws
 * invalid_request for a slug that is not lower-case letters, digits and dashes, and conflict when
 * a tenant has the slug already.
 */
export async function createTenant(
  store: Store,
  input: { slug: string; name?: string | undefined },
  now: Date = new Date(),
): Promise<Tenant> {
  const { slug } = input
  if (!isValidSlug(slug)) {
    throw AppError.invalidRequest(
      `"${slug.slice(0, 100)}" is not a tenant slug: use lower-case letters, digits and dashes ` +
        '(at most 63), e.g. "acme".',
    )
  }
  try {
    return await store.tenants.create({
      id: newTenantId(),
      slug,
      name: input.name ?? slug,
      createdAt: now.toISOString(),
    })
  } catch (error) {
    if (error instanceof UniqueViolation) {
      throw AppError.conflict(`A tenant "${slug}" already exists.`)
    }
    throw error
  }
}

/** The tenant with this slug; not_found (pointing at `tenant list`) when there is none. */
export async function tenantBySlug(store: Store, slug: string): Promise<Tenant> {
  const tenant = await store.tenants.getBySlug(slug)
  if (!tenant) throw AppError.notFound(`No tenant "${slug}". See \`npx rollcall tenant list\`.`)
  return tenant
}

/**
 * SPEC §7: turns the tenant's strict SCIM interoperability profile on or off. A setting with no
 * rule today; it is here so that the CLI and the admin API change it the same way.
 */
export async function setScimStrictProfile(
  store: Store,
  tenant: Tenant,
  strict: boolean,
): Promise<void> {
  await store.forTenant(tenant.id).scim.setStrictProfile(strict)
}
