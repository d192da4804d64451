// Where the host application's sign-in goes: the tenant it names (`tenant=<slug>`) or the tenant
// that verified the domain of `login_hint=<email>` (the same routing as "Sign in with SSO"), and
// there the tenant's verified login connection, or a local password when the tenant has no
// connection or the person has a local password. An unverified domain routes nowhere.
import { emailIdentityOf } from '../domain/directory-rules.ts'
import { domainOfEmail } from '../domain/domains.ts'
import type { Tenant } from '../domain/types.ts'
import type { LoginConnectionRecord, Store } from '../store/store.ts'

export type SignInRoute =
  | { readonly kind: 'sso'; readonly tenant: Tenant; readonly connection: LoginConnectionRecord }
  | { readonly kind: 'password'; readonly tenant: Tenant; readonly email: string | undefined }
  /** Nothing names a tenant: no `tenant=`, and no tenant verified the hint's domain. */
  | { readonly kind: 'unknown'; readonly reason: 'noHint' | 'unknownTenant' | 'unknownDomain' }

export interface RouteRequest {
  readonly tenant?: string | undefined
  readonly loginHint?: string | undefined
}

export async function routeSignIn(store: Store, request: RouteRequest): Promise<SignInRoute> {
  const slug = request.tenant?.trim().toLowerCase() ?? ''
  const email =
    request.loginHint && request.loginHint.length <= 320
      ? emailIdentityOf(request.loginHint)
      : undefined
  const domain = email ? domainOfEmail(email) : undefined
  const routed = domain ? await store.connections.byDomain(domain) : undefined

  let tenant: Tenant | undefined
  if (slug !== '') {
    tenant = slug.length <= 63 ? await store.tenants.getBySlug(slug) : undefined
    if (!tenant) return { kind: 'unknown', reason: 'unknownTenant' }
  } else if (domain) {
    const ownerId = routed?.tenantId ?? (await store.domains.owner(domain))
    tenant = ownerId ? await store.tenants.getById(ownerId) : undefined
    if (!tenant) return { kind: 'unknown', reason: 'unknownDomain' }
  } else {
    return { kind: 'unknown', reason: 'noHint' }
  }

  const connections = (await store.forTenant(tenant.id).connections.list()).filter(
    (c) => c.status === 'verified',
  )
  const connection =
    routed && routed.tenantId === tenant.id && routed.status === 'verified'
      ? routed
      : connections[0]
  if (!connection || (email && (await hasLocalPassword(store, tenant, email)))) {
    return { kind: 'password', tenant, email }
  }
  return { kind: 'sso', tenant, connection }
}

async function hasLocalPassword(store: Store, tenant: Tenant, email: string): Promise<boolean> {
  const identity = await store.forTenant(tenant.id).users.identityByEmail(email)
  if (!identity?.inThisTenant) return false
  return (await store.people.getLocalCredential(identity.userId)) !== undefined
}
