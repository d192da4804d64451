// The accounts of Rollcall's OpenID Provider: a membership, i.e. a user of one tenant. The
// account id names both (a person who belongs to two tenants has two accounts); `sub` is the
// user's stable id as the directory API and the events show it (oidc-provider puts the account id
// into `sub`, so every client is a "pairwise" one whose identifier is that user id: see
// subjectOf). An inactive membership is no account at all: oidc-provider asks again at the token and userinfo endpoints, so a user
// deactivated after signing in gets no further tokens.
import { asTenantId, asUserId, type TenantId, type UserId } from '../domain/ids.ts'
import type { Store } from '../store/store.ts'
import { primaryEmailOf } from '../directory/views.ts'

/** The scope whose claims are Rollcall's own: tenant, role, groups. */
export const ROLLCALL_SCOPE = 'rollcall'

/** Which claims each scope grants (OpenID Connect Core §5.4, and Rollcall's scope). */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  profile: ['name'],
  [ROLLCALL_SCOPE]: ['tenant', 'role', 'groups'],
} as const

export function accountIdOf(tenantId: TenantId, userId: UserId): string {
  return `${tenantId}.${userId}`
}

function parseAccountId(accountId: string): { tenantId: TenantId; userId: UserId } | undefined {
  const [tenant, user, ...rest] = accountId.split('.')
  if (!tenant || !user || rest.length > 0 || accountId.length > 100) return undefined
  return { tenantId: asTenantId(tenant), userId: asUserId(user) }
}

/** The `sub` of an account, for every client: the user's id (oidc-provider's pairwiseIdentifier). */
export function subjectOf(_ctx: unknown, accountId: string): string {
  return parseAccountId(accountId)?.userId ?? accountId
}

export interface AccountClaims {
  readonly sub: string
  readonly email: string
  readonly email_verified: boolean
  readonly name: string
  readonly tenant: string
  readonly role: string
  readonly groups: readonly string[]
}

/** The active membership behind an account id, with its claims; undefined if none (any more). */
export async function accountClaims(
  store: Store,
  accountId: string,
): Promise<AccountClaims | undefined> {
  const ids = parseAccountId(accountId)
  if (!ids) return undefined
  const tenant = await store.tenants.getById(ids.tenantId)
  if (!tenant) return undefined
  const here = store.forTenant(tenant.id)
  const user = await here.users.get(ids.userId)
  if (!user || !user.active) return undefined
  const groups = (await here.users.groupsOf([user.id])).get(user.id) ?? []
  const email = primaryEmailOf(user)
  return {
    sub: user.id,
    email,
    // Rollcall signed the person in through their organisation's verified domain or password.
    email_verified: true,
    name: user.displayName ?? email,
    tenant: tenant.slug,
    role: user.role,
    groups: groups.map((g) => g.display).sort(),
  }
}

/** oidc-provider's findAccount. */
export function findAccountIn(store: Store) {
  return async (_ctx: unknown, accountId: string) => {
    const claims = await accountClaims(store, accountId)
    if (!claims) return undefined
    return {
      accountId,
      async claims() {
        return { ...claims, groups: [...claims.groups] }
      },
    }
  }
}
