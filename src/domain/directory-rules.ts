// The ownership rules of SPEC §1 (D1, D2, D5–D7, D12, G2, G3, G5) as pure decisions; the provisioning
// service asks them and the store carries them out inside one transaction.
import type { UserId } from './ids.ts'
import type { DomainOwnership } from './domains.ts'
import type { Origin } from './types.ts'

// A pragmatic address check: one "@", something on each side, a dot in the domain, no spaces.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/**
 * D1: the email identity carried by a SCIM userName, compared case-insensitively, or undefined
 * when the userName is not an email address (then the user has no email identity).
 */
export function emailIdentityOf(userName: string): string | undefined {
  const trimmed = userName.trim()
  return EMAIL_SHAPE.test(trimmed) ? trimmed.toLowerCase() : undefined
}

/** Case-insensitive form used for userName and displayName uniqueness (RFC 7643 caseExact=false). */
export function normaliseName(value: string): string {
  return value.toLowerCase()
}

/** What the store knows of an email identity when SCIM claims it for a tenant. */
export interface IdentityMemberships {
  readonly userId: UserId
  /** The membership in the tenant making the request, if any. */
  readonly inThisTenant: { readonly origin: Origin } | undefined
  /** How many other tenants the person is a member of (never which ones). */
  readonly otherTenantCount: number
  /** Whether one of those other memberships is SCIM-controlled (D2). */
  readonly scimControlledElsewhere: boolean
}

export type ScimClaimDecision =
  /** No such person yet: create them, SCIM-controlled, in this tenant. */
  | { readonly kind: 'create' }
  /**
   * The person is not a member here: give them a SCIM membership here. `endElsewhere`: the
   * memberships they have in other tenants end (D2), which only the domain's owner may cause.
   */
  | { readonly kind: 'attach'; readonly userId: UserId; readonly endElsewhere: boolean }
  /** D5: an INTERNAL member of this tenant; convert to SCIM, keeping the id (D2 as for attach). */
  | { readonly kind: 'convert'; readonly userId: UserId; readonly endElsewhere: boolean }
  /** Already SCIM-controlled in this tenant: a second create is a duplicate. */
  | { readonly kind: 'duplicate'; readonly userId: UserId }
  /** D2/D6: a member of another tenant; only a sign-in through this tenant's login URL moves them. */
  | { readonly kind: 'memberElsewhere'; readonly domainVerifiedHere: boolean }
  /** D12: the email's domain is verified by another tenant, whether or not the person exists. */
  | { readonly kind: 'domainOwnedElsewhere' }

/**
 * D2, D5, D6, D7, D12: what a SCIM create (or first SCIM write) of an email identity must do, given
 * who verified the email's domain.
 */
export function decideScimClaim(
  identity: IdentityMemberships | undefined,
  domain: DomainOwnership,
): ScimClaimDecision {
  if (identity?.inThisTenant?.origin === 'SCIM')
    return { kind: 'duplicate', userId: identity.userId }
  // D12: decided before anything about the person, so the answer does not tell whether they exist.
  if (domain === 'other') return { kind: 'domainOwnedElsewhere' }
  if (identity === undefined) return { kind: 'create' }
  const { userId } = identity
  const here = identity.inThisTenant !== undefined
  if (identity.otherTenantCount === 0) {
    return here
      ? { kind: 'convert', userId, endElsewhere: false }
      : { kind: 'attach', userId, endElsewhere: false }
  }
  if (domain === 'this') {
    // The domain's owner decides over its people: a member here (brought in through the login
    // URL, D7) becomes SCIM-controlled and leaves the others; so does a person another tenant's
    // SCIM holds, which would otherwise block the owner for good.
    if (here) return { kind: 'convert', userId, endElsewhere: true }
    if (identity.scimControlledElsewhere) return { kind: 'attach', userId, endElsewhere: true }
  }
  // D6: someone else's member, in a domain nobody (or this tenant, for INTERNAL members) has
  // asserted control over here yet: they sign in through this tenant's login URL first.
  return { kind: 'memberElsewhere', domainVerifiedHere: domain === 'this' }
}

/**
 * D12: the 409 detail when another tenant verified the email's domain. The same whether or not
 * the person exists, and it names no tenant.
 */
export function domainOwnedElsewhereDetail(userName: string, domain: string): string {
  return (
    `userName "${userName}" is in the domain ${domain}, which another organisation has verified: ` +
    'only that organisation can provision people of this domain. Remove the user from the ' +
    "application's assignments in the IdP, or, if the domain is yours, ask the operator of this " +
    'Rollcall service.'
  )
}

/**
 * D6: the 409 detail for a person who is a member of another tenant. Says what happened and what
 * to do, and never names the other tenant.
 */
export function memberElsewhereDetail(userName: string, domainVerifiedHere: boolean): string {
  const steps = domainVerifiedHere
    ? "send them this tenant's SSO login URL and ask them to sign in through it once; the next " +
      'provisioning cycle then links the account to SCIM.'
    : "verify the user's email domain for this tenant, then send them this tenant's SSO login URL " +
      'and ask them to sign in through it once; the next provisioning cycle then links the account ' +
      'to SCIM.'
  return (
    `userName "${userName}" belongs to a user who is already a member of another tenant, and a ` +
    `SCIM-provisioned user can belong to only one tenant. To move this user here, ${steps}`
  )
}
