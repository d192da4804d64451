// What a sign-in through a login connection does (SPEC §1 D2, D7, D9, D11, D12; §4): which email the ID
// token carries, and whether the person signs in, is moved into the tenant, joins it, is created,
// or is refused. Pure decisions: the callback and the verification page ask them, and the
// sign-in service carries them out inside one transaction.
import type { UserId } from './ids.ts'
import { emailIdentityOf } from './directory-rules.ts'
import type { DomainOwnership } from './domains.ts'
import type { Origin } from './types.ts'

/** The claims Entra ID may carry the email in, in the order they are tried by default. */
export const DEFAULT_EMAIL_CLAIMS: readonly string[] = ['email', 'preferred_username', 'upn']

/** The role given by a D7 transfer and by just-in-time membership. */
export const SIGN_IN_DEFAULT_ROLE = 'Viewer'

export interface EmailFromClaims {
  /** Normalised (lower-case) email. */
  readonly email: string
  /** The claim it came from. */
  readonly claim: string
}

/**
 * The email of the person: the first claim of `claimOrder` that holds an email address. Entra
 * leaves `email` out when the user's Email field is empty, but `preferred_username` / `upn` are
 * then usually the sign-in name, which looks like an email; other values are skipped.
 */
export function emailFromClaims(
  claims: Readonly<Record<string, unknown>>,
  claimOrder: readonly string[] = DEFAULT_EMAIL_CLAIMS,
): EmailFromClaims | undefined {
  for (const claim of claimOrder) {
    const value = claims[claim]
    if (typeof value !== 'string') continue
    const email = emailIdentityOf(value)
    if (email !== undefined) return { email, claim }
  }
  return undefined
}

/** What the store knows of the person the email belongs to. */
export interface SignInPerson {
  readonly userId: UserId
  /** The membership in the connection's tenant, if any. */
  readonly here:
    | {
        readonly origin: Origin
        readonly active: boolean
        readonly role: string
        readonly externalId: string | null
        /** Enterprise extension employeeNumber (Entra objectId in the seed 003 mapping). */
        readonly employeeNumber: string | null
      }
    | undefined
  /** Memberships in other tenants. */
  readonly elsewhere: readonly { readonly origin: Origin }[]
}

export interface SignInInput {
  readonly claims: Readonly<Record<string, unknown>>
  readonly connection: { readonly jitEnabled: boolean; readonly emailClaims: readonly string[] }
  /** Looked up by the email that emailFromClaims found; undefined when nobody has it. */
  readonly person: SignInPerson | undefined
  /** Who verified the email's domain: this tenant, another one, or nobody (D10, D11). */
  readonly domain: DomainOwnership
}

export type RefusalReason =
  | 'noEmail'
  | 'scimControlledElsewhere'
  | 'deactivated'
  | 'jitDisabled'
  | 'differentPerson'
  | 'emailNotVerified'
  | 'domainNotVerified'

export type SignInDecision =
  /** An active member of the tenant: signs in with their role. */
  | {
      readonly kind: 'signIn'
      readonly email: string
      readonly userId: UserId
      readonly role: string
    }
  /**
   * D7: INTERNAL elsewhere only; becomes an INTERNAL member here too and keeps the other
   * memberships until SCIM here takes control of them (D2, D5).
   */
  | {
      readonly kind: 'transfer'
      readonly email: string
      readonly userId: UserId
      readonly role: string
      readonly memberElsewhere: number
    }
  /** Known person with no membership anywhere: joins just in time. */
  | {
      readonly kind: 'join'
      readonly email: string
      readonly userId: UserId
      readonly role: string
    }
  /** Nobody has this email yet: a new person with an email identity, member just in time. */
  | { readonly kind: 'create'; readonly email: string; readonly role: string }
  | { readonly kind: 'refuse'; readonly reason: RefusalReason; readonly email: string | null }

// Entra object ids are GUIDs; an externalId of another shape (Entra's default mailNickname
// mapping) says nothing about the object id and is not compared.
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The object id SCIM recorded for a member: employeeNumber (seed 003), else a GUID externalId. */
function recordedObjectId(here: NonNullable<SignInPerson['here']>): string | null {
  if (here.employeeNumber) return here.employeeNumber
  if (here.externalId && GUID.test(here.externalId)) return here.externalId
  return null
}

/** The IdP says outright that it did not verify the email (OpenID Connect Core §5.1). */
function emailUnverified(claims: Readonly<Record<string, unknown>>): boolean {
  const value = claims.email_verified
  return value === false || (typeof value === 'string' && value.toLowerCase() === 'false')
}

/** D7, D9, D11, D12, just-in-time membership: what a sign-in with these claims does here. */
export function decideSignIn(input: SignInInput): SignInDecision {
  const found = emailFromClaims(input.claims, input.connection.emailClaims)
  if (found === undefined) return { kind: 'refuse', reason: 'noEmail', email: null }
  const { email } = found
  const person = input.person
  // D11: the login URL signs in the tenant's own members, whatever their domain.
  if (person?.here !== undefined) {
    const oid = input.claims.oid
    const recorded = recordedObjectId(person.here)
    if (
      typeof oid === 'string' &&
      recorded !== null &&
      recorded.toLowerCase() !== oid.toLowerCase()
    ) {
      return { kind: 'refuse', reason: 'differentPerson', email }
    }
    if (!person.here.active) return { kind: 'refuse', reason: 'deactivated', email }
    return { kind: 'signIn', email, userId: person.userId, role: person.here.role }
  }
  // Joining (just in time or by transfer) rests on the tenant's proof of the domain (D11). Both
  // checks come before anything about the person, so a refusal reads the same whether the person
  // exists elsewhere or not (D12: no probing of other tenants' people).
  if (emailUnverified(input.claims)) return { kind: 'refuse', reason: 'emailNotVerified', email }
  if (input.domain !== 'this') return { kind: 'refuse', reason: 'domainNotVerified', email }
  if (person === undefined) {
    return input.connection.jitEnabled
      ? { kind: 'create', email, role: SIGN_IN_DEFAULT_ROLE }
      : { kind: 'refuse', reason: 'jitDisabled', email }
  }
  // D2: a SCIM-controlled user belongs to that tenant only; no sign-in elsewhere moves them.
  if (person.elsewhere.some((m) => m.origin === 'SCIM')) {
    return { kind: 'refuse', reason: 'scimControlledElsewhere', email }
  }
  if (person.elsewhere.length > 0) {
    // D7: the login URL of this tenant brings an INTERNAL user in, whether or not just-in-time
    // membership is on: it is the documented way (D6) an admin brings a member of another
    // tenant in. Their other memberships end only when SCIM here takes control of them.
    return {
      kind: 'transfer',
      email,
      userId: person.userId,
      role: SIGN_IN_DEFAULT_ROLE,
      memberElsewhere: person.elsewhere.length,
    }
  }
  return input.connection.jitEnabled
    ? { kind: 'join', email, userId: person.userId, role: SIGN_IN_DEFAULT_ROLE }
    : { kind: 'refuse', reason: 'jitDisabled', email }
}

/** One sentence for the admin (verification page, sign-in log) about a decision. */
export function describeDecision(decision: SignInDecision): string {
  switch (decision.kind) {
    case 'signIn':
      return `${decision.email} is a member of this tenant and signs in with the role ${decision.role}.`
    case 'transfer':
      return (
        `${decision.email} is a member of ${decision.memberElsewhere} other organisation(s) and ` +
        `joins this one as ${decision.role}. They stay members there until this organisation's ` +
        'provisioning (SCIM) takes control of the account, which then ends the other memberships.'
      )
    case 'join':
      return `${decision.email} is not a member yet and joins this tenant as ${decision.role} (just-in-time).`
    case 'create':
      return `Nobody has the email ${decision.email} yet: a user is created and joins as ${decision.role} (just-in-time).`
    case 'refuse':
      return refusalMessage(decision.reason, decision.email)
  }
}

/** What the person (and the admin) is told when a sign-in is refused, and what to do. */
export function refusalMessage(reason: RefusalReason, email: string | null): string {
  const who = email ?? 'This user'
  switch (reason) {
    case 'noEmail':
      return (
        'The identity provider sent no email address for this user (no email, preferred_username ' +
        "or upn claim that is an email). Ask your administrator to fill in the user's Email field " +
        '(Entra ID: Users → the user → Properties → Email), then sign in again.'
      )
    case 'scimControlledElsewhere':
      return (
        `${who} is provisioned (SCIM) by another organisation and can belong to that one only. ` +
        'Ask your administrator: the other organisation must unassign the user first.'
      )
    case 'deactivated':
      return `${who} is deactivated in this organisation. Ask your administrator to reactivate the account.`
    case 'jitDisabled':
      return (
        `${who} is not a member of this organisation, and this sign-in connection does not add ` +
        'members automatically. Ask your administrator to add you (or assign you in the IdP).'
      )
    case 'emailNotVerified':
      return (
        `The identity provider says the email ${who} is not verified, so it cannot be used to join ` +
        'this organisation. Ask your administrator to verify the email address at the identity ' +
        'provider, or to add you to this organisation.'
      )
    case 'domainNotVerified':
      return (
        `${who} is not a member of this organisation, and people join by signing in only with an ` +
        "email in one of the organisation's verified domains. Ask your administrator to add you, " +
        'or to verify your email domain for this organisation.'
      )
    case 'differentPerson':
      return (
        `The account ${who} in this organisation belongs to a different person of the identity ` +
        'provider (its object id differs from the one provisioned). Ask your administrator to ' +
        "check the user's email and the provisioning mapping."
      )
  }
}
