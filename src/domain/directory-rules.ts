// The ownership rules of SPEC §1 (D1, D2, D5, D6, G2, G3, G5) as pure decisions; the provisioning
// service asks them and the store carries them out inside one transaction.
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
  readonly userId: string
  /** The membership in the tenant making the request, if any. */
  readonly inThisTenant: { readonly origin: Origin } | undefined
  /** How many other tenants the person is a member of (never which ones). */
  readonly otherTenantCount: number
}

export type ScimClaimDecision =
  /** No such person yet: create them, SCIM-controlled, in this tenant. */
  | { readonly kind: 'create' }
  /** The person exists but belongs to no tenant now: give them a SCIM membership here. */
  | { readonly kind: 'attach'; readonly userId: string }
  /** D5: an INTERNAL member of this tenant only; convert to SCIM, keeping the id. */
  | { readonly kind: 'convert'; readonly userId: string }
  /** Already SCIM-controlled in this tenant: a second create is a duplicate. */
  | { readonly kind: 'duplicate'; readonly userId: string }
  /** D2/D6: a member of another tenant; only a sign-in through this tenant's login URL moves them. */
  | { readonly kind: 'memberElsewhere' }

/** D2, D5, D6: what a SCIM create (or first SCIM write) of an email identity must do. */
export function decideScimClaim(identity: IdentityMemberships | undefined): ScimClaimDecision {
  if (identity === undefined) return { kind: 'create' }
  if (identity.otherTenantCount > 0) return { kind: 'memberElsewhere' }
  if (identity.inThisTenant === undefined) return { kind: 'attach', userId: identity.userId }
  if (identity.inThisTenant.origin === 'INTERNAL') return { kind: 'convert', userId: identity.userId }
  return { kind: 'duplicate', userId: identity.userId }
}

/**
 * D6: the 409 detail for a person who is a member of another tenant. Says what happened and what
 * to do, and never names the other tenant.
 */
export function memberElsewhereDetail(userName: string): string {
  return (
    `userName "${userName}" belongs to a user who is already a member of another tenant, and a ` +
    'SCIM-provisioned user can belong to only one tenant. To move this user here, send them this ' +
    "tenant's SSO login URL and ask them to sign in through it once; the next provisioning cycle " +
    'then links the account to SCIM.'
  )
}
