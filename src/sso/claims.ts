// From validated ID-token claims to the directory: who the person is in the store (for
// decideSignIn), and the claims worth showing an admin on the verification page.
import { ENTERPRISE_USER_SCHEMA_URN } from '../scim/schemas/index.ts'
import { domainOfEmail, ownershipOf } from '../domain/domains.ts'
import {
  decideSignIn,
  emailFromClaims,
  type SignInDecision,
  type SignInPerson,
} from '../domain/sign-in-rules.ts'
import type { LoginConnectionRecord } from '../store/store.ts'
import type { Store } from '../store/store.ts'
import type { TenantId } from '../domain/ids.ts'

/** What the store knows of the person with this (normalised) email, as decideSignIn reads it. */
export async function lookupPerson(
  store: Store,
  tenantId: TenantId,
  email: string,
): Promise<SignInPerson | undefined> {
  const tenantStore = store.forTenant(tenantId)
  const identity = await tenantStore.users.identityByEmail(email)
  if (!identity) return undefined
  const member = identity.inThisTenant ? await tenantStore.users.get(identity.userId) : undefined
  const memberships = await store.people.membershipsOf(identity.userId)
  const enterprise = member?.doc[ENTERPRISE_USER_SCHEMA_URN] as Record<string, unknown> | undefined
  const employeeNumber = enterprise?.employeeNumber
  return {
    userId: identity.userId,
    here: member && {
      origin: member.origin,
      active: member.active,
      role: member.role,
      externalId: member.externalId,
      employeeNumber:
        typeof employeeNumber === 'string' && employeeNumber !== '' ? employeeNumber : null,
    },
    elsewhere: memberships
      .filter((m) => m.tenantId !== tenantId)
      .map((m) => ({ origin: m.origin })),
  }
}

/**
 * What a sign-in with these claims through this connection does, decided on what `store` (a
 * transaction, when the caller carries the decision out) reads now.
 */
export async function decideFor(
  store: Store,
  connection: LoginConnectionRecord,
  claims: Readonly<Record<string, unknown>>,
): Promise<SignInDecision> {
  const found = emailFromClaims(claims, connection.emailClaims)
  if (!found) return decideSignIn({ claims, connection, person: undefined, domain: 'none' })
  const [person, owner] = await Promise.all([
    lookupPerson(store, connection.tenantId, found.email),
    store.domains.owner(domainOfEmail(found.email)),
  ])
  return decideSignIn({
    claims,
    connection,
    person,
    domain: ownershipOf(owner, connection.tenantId),
  })
}

// Protocol claims that say nothing to an admin checking the mapping.
const HIDDEN_CLAIMS = new Set([
  'nonce',
  'at_hash',
  'c_hash',
  'sid',
  'auth_time',
  'rh',
  'uti',
  'aio',
  'acr',
  'amr',
])

/** The claims to show on the verification page, as [name, value] text pairs in token order. */
export function displayClaims(claims: Readonly<Record<string, unknown>>): [string, string][] {
  return Object.entries(claims)
    .filter(([name]) => !HIDDEN_CLAIMS.has(name))
    .map(([name, value]) => [
      name,
      (name === 'iat' || name === 'exp' || name === 'nbf') && typeof value === 'number'
        ? `${value} (${new Date(value * 1000).toISOString()})`
        : typeof value === 'string'
          ? value
          : JSON.stringify(value),
    ])
}
