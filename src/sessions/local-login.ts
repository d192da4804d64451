// Local sign-in for bootstrap and break-glass admins (SPEC §5 "local admin password for
// bootstrap, then SSO"): scrypt password hashes per person, one-time set-password links, and
// throttling of failed attempts per account and per client address, counted in the database so
// that every instance sees the same counts.
import { emailIdentityOf } from '../domain/directory-rules.ts'
import { hashToken, newSecretToken, secondsAfter } from '../credentials/one-time-tokens.ts'
import { hashPassword, verifyPassword } from '../provisioning/passwords.ts'
import type { Store } from '../store/store.ts'
import { createSession, type SessionSettings } from './sessions.ts'

export const SET_PASSWORD_TTL_SECONDS = 24 * 3600
export const MIN_PASSWORD_LENGTH = 12

export interface LocalLoginSettings {
  readonly maxFailuresPerAccount: number
  readonly maxFailuresPerAddress: number
  readonly windowSeconds: number
}

export type LocalLoginResult =
  | {
      readonly kind: 'signedIn'
      readonly sessionId: string
      readonly email: string
      readonly tenant: string
      readonly role: string
    }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number }

// Compared against when the account does not exist, so that a wrong email costs as long as a
// wrong password (no account enumeration by timing).
const DUMMY_HASH = hashPassword('rollcall-dummy-password')

function retryAfter(oldestAt: string | null, windowSeconds: number, now: Date): number {
  if (oldestAt === null) return windowSeconds
  const until = Date.parse(oldestAt) + windowSeconds * 1000
  return Math.max(1, Math.ceil((until - now.getTime()) / 1000))
}

/**
 * Checks a tenant slug, email and password. Only an active Admin member with a local password
 * signs in. Failed attempts are counted per account (tenant + email) and per client address;
 * past either limit within the window, attempts are refused with a delay before being checked.
 */
export async function signInWithPassword(
  store: Store,
  settings: { sessions: SessionSettings; localLogin: LocalLoginSettings },
  input: { tenant: string; email: string; password: string; address: string },
  now: Date = new Date(),
): Promise<LocalLoginResult> {
  const limits = settings.localLogin
  const emailNorm = emailIdentityOf(input.email) ?? input.email.trim().toLowerCase()
  const tenantSlug = input.tenant.trim().toLowerCase()
  const accountKey = `account:${tenantSlug}:${emailNorm}`
  const addressKey = `address:${input.address}`
  const since = new Date(now.getTime() - limits.windowSeconds * 1000).toISOString()
  for (const [key, max] of [
    [accountKey, limits.maxFailuresPerAccount],
    [addressKey, limits.maxFailuresPerAddress],
  ] as const) {
    const failures = await store.countLoginFailures(key, since)
    if (failures.count >= max) {
      return {
        kind: 'throttled',
        retryAfterSeconds: retryAfter(failures.oldestAt, limits.windowSeconds, now),
      }
    }
  }

  const tenant = await store.getTenantBySlug(tenantSlug)
  const tenantStore = tenant ? store.forTenant(tenant.id) : undefined
  const identity = tenantStore ? await tenantStore.identityByEmail(emailNorm) : undefined
  const member = identity && tenantStore ? await tenantStore.getUser(identity.userId) : undefined
  const hash = member ? await store.getLocalCredential(member.id) : undefined
  const passwordOk = await verifyPassword(input.password, hash ?? (await DUMMY_HASH))
  const allowed =
    tenant && member && hash !== undefined && passwordOk && member.active && member.role === 'Admin'
  if (!allowed) {
    await store.recordLoginFailure([accountKey, addressKey], now.toISOString())
    if (tenant) {
      await store.appendSignInLog({
        tenantId: tenant.id,
        connectionId: null,
        at: now.toISOString(),
        outcome: 'failed',
        email: emailNorm,
        detail:
          'Local password sign-in failed (unknown account, wrong password, or not an active Admin).',
      })
    }
    return { kind: 'invalid' }
  }
  await store.clearLoginFailures(accountKey)
  const sessionId = await createSession(
    store,
    settings.sessions,
    { tenantId: tenant.id, userId: member.id },
    now,
  )
  await store.appendSignInLog({
    tenantId: tenant.id,
    connectionId: null,
    at: now.toISOString(),
    outcome: 'signed-in',
    email: emailNorm,
    detail: 'Local password sign-in.',
  })
  return {
    kind: 'signedIn',
    sessionId,
    email: member.userName,
    tenant: tenant.slug,
    role: member.role,
  }
}

/** A one-time link (valid 24 h, stored hashed) for a member to set their local password. */
export async function issueSetPasswordLink(
  store: Store,
  publicUrl: string,
  member: { tenantId: string; userId: string },
  now: Date = new Date(),
): Promise<string> {
  const token = newSecretToken()
  await store.insertOneTimeToken({
    tokenHash: hashToken(token),
    purpose: 'set-password',
    tenantId: member.tenantId,
    subjectId: member.userId,
    createdAt: now.toISOString(),
    expiresAt: secondsAfter(now, SET_PASSWORD_TTL_SECONDS),
  })
  return `${publicUrl}/login/set-password/${token}`
}

export type SetPasswordResult =
  | { readonly kind: 'set'; readonly tenant: string; readonly email: string }
  | { readonly kind: 'invalidToken' }
  | { readonly kind: 'weakPassword'; readonly message: string }

export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`
  }
  if (password.length > 1024) return 'The password must be at most 1024 characters long.'
  return undefined
}

/** Uses the set-password link once: sets the password of the member it was issued for. */
export async function setPasswordWithToken(
  store: Store,
  token: string,
  password: string,
  now: Date = new Date(),
): Promise<SetPasswordResult> {
  const problem = passwordProblem(password)
  if (problem) return { kind: 'weakPassword', message: problem }
  const hash = await hashPassword(password)
  return store.transaction(async (tx) => {
    const record = await tx.consumeOneTimeToken(hashToken(token), 'set-password', now.toISOString())
    if (!record) return { kind: 'invalidToken' } as const
    const tenant = await tx.getTenantById(record.tenantId)
    const member = await tx.forTenant(record.tenantId).getUser(record.subjectId)
    if (!tenant || !member) return { kind: 'invalidToken' } as const
    await tx.setLocalCredential(member.id, hash, now.toISOString())
    return { kind: 'set', tenant: tenant.slug, email: member.userName } as const
  })
}

/** Whether a set-password link is still usable (the form is shown only then). */
export async function setPasswordLinkIsValid(store: Store, token: string): Promise<boolean> {
  return (
    (await store.findOneTimeToken(hashToken(token), 'set-password', new Date().toISOString())) !==
    undefined
  )
}
