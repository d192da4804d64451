// Local sign-in for bootstrap and break-glass admins (SPEC §5 "local admin password for
// bootstrap, then SSO"): scrypt password hashes per person (re-made at the current parameters on
// sign-in), one-time set-password links, and throttling counted in the database so that every
// instance sees the same counts.
//
// Throttling is shaped so that a flood of wrong passwords cannot lock the owner of a break-glass
// account out: failures are counted per account *and* client address (an attacker's address
// locks only itself) and per address; failures on the account from anywhere only impose a
// growing, capped delay before its next attempt (refused with Retry-After), never a lock.
import { emailIdentityOf } from '../domain/directory-rules.ts'
import { hashToken, newSecretToken, secondsAfter } from '../credentials/one-time-tokens.ts'
import {
  hashPassword,
  needsRehash,
  SCRYPT_PARAMS,
  verifyPassword,
  type ScryptParams,
} from '../provisioning/passwords.ts'
import type { TenantId, UserId } from '../domain/ids.ts'
import type { Store } from '../store/store.ts'
import { createSession, type SessionSettings } from './sessions.ts'
import { signedInEvent } from '../events/data.ts'

export const SET_PASSWORD_TTL_SECONDS = 24 * 3600
export const MIN_PASSWORD_LENGTH = 12
/** Failures on an account (from any address) that pass before the progressive delay starts. */
export const FAILURES_BEFORE_DELAY = 3

export interface LocalLoginSettings {
  /** Failures per account from one client address in the window before it is throttled. */
  readonly maxFailuresPerAccount: number
  /** Failures per client address (any account, and set-password links) in the window. */
  readonly maxFailuresPerAddress: number
  readonly windowSeconds: number
  /** Cap of the per-account delay (1 s after FAILURES_BEFORE_DELAY failures, doubling). */
  readonly maxDelaySeconds: number
}

export interface LocalLoginOptions {
  readonly localLogin: LocalLoginSettings
  /** scrypt parameters of new hashes; SCRYPT_PARAMS unless a test asks for cheaper ones. */
  readonly passwordHashing?: ScryptParams | undefined
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
// wrong password (no account enumeration by timing). Made on first use, at each parameter set.
const dummyHashes = new Map<string, Promise<string>>()

function dummyHash(params: ScryptParams): Promise<string> {
  const key = `${params.N}$${params.r}$${params.p}`
  let hash = dummyHashes.get(key)
  if (!hash) {
    hash = hashPassword('rollcall-dummy-password', params)
    dummyHashes.set(key, hash)
  }
  return hash
}

function retryAfter(oldestAt: string | null, windowSeconds: number, now: Date): number {
  if (oldestAt === null) return windowSeconds
  const until = Date.parse(oldestAt) + windowSeconds * 1000
  return Math.max(1, Math.ceil((until - now.getTime()) / 1000))
}

/** The wait after the latest failure on an account that has `failures` in the window. */
export function accountDelaySeconds(failures: number, maxDelaySeconds: number): number {
  if (failures < FAILURES_BEFORE_DELAY) return 0
  return Math.min(maxDelaySeconds, 2 ** Math.min(failures - FAILURES_BEFORE_DELAY, 30))
}

/** Keys of the failure counters (one table for all; the prefixes keep them apart). */
export function loginFailureKeys(tenantSlug: string, email: string, address: string) {
  return {
    account: `account:${tenantSlug}:${email}`,
    // The account's email cannot contain "|" after its "@", nor an address: the key is unique.
    accountAddress: `account-address:${tenantSlug}:${email}|${address}`,
    address: `address:${address}`,
  }
}

/** The set-password counter of a client address. */
export function setPasswordFailureKey(address: string): string {
  return `set-password:${address}`
}

/**
 * Checks a tenant slug, email and password. Only an active Admin member with a local password
 * signs in. Before the password is checked: past LOGIN_MAX_FAILURES_PER_ADDRESS failures of the
 * client address, or LOGIN_MAX_FAILURES_PER_ACCOUNT failures of the account from this address, in
 * the window, the attempt is refused until the oldest leaves the window; after a few failures of
 * the account from anywhere, it is refused until a delay after the latest one has passed. Refused
 * attempts are not counted (a flood does not extend anything). A successful sign-in whose hash
 * was made at older parameters stores a new hash at the current ones.
 */
export async function signInWithPassword(
  store: Store,
  settings: LocalLoginOptions & { readonly sessions: SessionSettings },
  input: { tenant: string; email: string; password: string; address: string },
  now: Date = new Date(),
): Promise<LocalLoginResult> {
  const limits = settings.localLogin
  const params = settings.passwordHashing ?? SCRYPT_PARAMS
  const emailNorm = emailIdentityOf(input.email) ?? input.email.trim().toLowerCase()
  const tenantSlug = input.tenant.trim().toLowerCase()
  const keys = loginFailureKeys(tenantSlug, emailNorm, input.address)
  const since = new Date(now.getTime() - limits.windowSeconds * 1000).toISOString()
  for (const [key, max] of [
    [keys.address, limits.maxFailuresPerAddress],
    [keys.accountAddress, limits.maxFailuresPerAccount],
  ] as const) {
    const failures = await store.loginFailures.count(key, since)
    if (failures.count >= max) {
      return {
        kind: 'throttled',
        retryAfterSeconds: retryAfter(failures.oldestAt, limits.windowSeconds, now),
      }
    }
  }
  const account = await store.loginFailures.count(keys.account, since)
  const delay = accountDelaySeconds(account.count, limits.maxDelaySeconds)
  if (delay > 0 && account.latestAt !== null) {
    const until = Date.parse(account.latestAt) + delay * 1000
    if (until > now.getTime()) {
      return { kind: 'throttled', retryAfterSeconds: Math.ceil((until - now.getTime()) / 1000) }
    }
  }

  const tenant = await store.tenants.getBySlug(tenantSlug)
  const tenantStore = tenant ? store.forTenant(tenant.id) : undefined
  const identity = tenantStore ? await tenantStore.users.identityByEmail(emailNorm) : undefined
  const member = identity && tenantStore ? await tenantStore.users.get(identity.userId) : undefined
  const hash = member ? await store.people.getLocalCredential(member.id) : undefined
  const passwordOk = await verifyPassword(input.password, hash ?? (await dummyHash(params)))
  const allowed =
    tenant && member && hash !== undefined && passwordOk && member.active && member.role === 'Admin'
  if (!allowed) {
    await store.loginFailures.record(
      [keys.account, keys.accountAddress, keys.address],
      now.toISOString(),
    )
    if (tenant) {
      await store.forTenant(tenant.id).signInLog.append({
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
  // The account counter stays: it is what slows a distributed guesser down, and the owner's
  // success must not hand that guesser a fresh set of undelayed attempts.
  await store.loginFailures.clear(keys.accountAddress)
  if (needsRehash(hash, params)) {
    const fresh = await hashPassword(input.password, params)
    // Only over the hash just checked: a password set meanwhile through a link wins.
    await store.transaction(async (tx) => {
      if ((await tx.people.getLocalCredential(member.id)) === hash) {
        await tx.people.setLocalCredential(member.id, fresh, now.toISOString())
      }
    })
  }
  const sessionId = await createSession(
    store,
    settings.sessions,
    { tenantId: tenant.id, userId: member.id },
    now,
    [signedInEvent(member, { method: 'local', connectionId: null })],
  )
  await store.forTenant(tenant.id).signInLog.append({
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
  member: { tenantId: TenantId; userId: UserId },
  now: Date = new Date(),
): Promise<string> {
  const token = newSecretToken()
  await store.forTenant(member.tenantId).oneTimeTokens.insert({
    tokenHash: hashToken(token),
    purpose: 'set-password',
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
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number }

export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`
  }
  if (password.length > 1024) return 'The password must be at most 1024 characters long.'
  return undefined
}

/**
 * Whether the client address may try a set-password link now: past LOGIN_MAX_FAILURES_PER_ADDRESS
 * unknown or expired links in the window it waits until the oldest leaves the window.
 */
async function setPasswordThrottle(
  store: Store,
  limits: LocalLoginSettings,
  address: string,
  now: Date,
): Promise<{ readonly kind: 'throttled'; readonly retryAfterSeconds: number } | undefined> {
  const since = new Date(now.getTime() - limits.windowSeconds * 1000).toISOString()
  const failures = await store.loginFailures.count(setPasswordFailureKey(address), since)
  if (failures.count < limits.maxFailuresPerAddress) return undefined
  return {
    kind: 'throttled',
    retryAfterSeconds: retryAfter(failures.oldestAt, limits.windowSeconds, now),
  }
}

/**
 * Uses the set-password link once: sets the password of the member it was issued for. The link
 * is checked before the password is hashed, so that a made-up link costs a lookup, not a scrypt
 * run; unknown links count against the client address.
 */
export async function setPasswordWithToken(
  store: Store,
  settings: LocalLoginOptions,
  input: { token: string; password: string; address: string },
  now: Date = new Date(),
): Promise<SetPasswordResult> {
  const throttled = await setPasswordThrottle(store, settings.localLogin, input.address, now)
  if (throttled) return throttled
  const tokenHash = hashToken(input.token)
  if (!(await store.oneTimeTokens.find(tokenHash, 'set-password', now.toISOString()))) {
    await store.loginFailures.record([setPasswordFailureKey(input.address)], now.toISOString())
    return { kind: 'invalidToken' }
  }
  const problem = passwordProblem(input.password)
  if (problem) return { kind: 'weakPassword', message: problem }
  const hash = await hashPassword(input.password, settings.passwordHashing ?? SCRYPT_PARAMS)
  // Consumed here, not when checked above: of two uses at once, one sets the password.
  return store.transaction(async (tx) => {
    const record = await tx.oneTimeTokens.consume(tokenHash, 'set-password', now.toISOString())
    if (!record) return { kind: 'invalidToken' } as const
    const tenant = await tx.tenants.getById(record.tenantId)
    const member = await tx.forTenant(record.tenantId).users.get(record.subjectId)
    if (!tenant || !member) return { kind: 'invalidToken' } as const
    await tx.people.setLocalCredential(member.id, hash, now.toISOString())
    return { kind: 'set', tenant: tenant.slug, email: member.userName } as const
  })
}

/** Whether a set-password link is still usable (the form is shown only then); throttled alike. */
export async function checkSetPasswordLink(
  store: Store,
  settings: LocalLoginOptions,
  input: { token: string; address: string },
  now: Date = new Date(),
): Promise<
  | { readonly kind: 'valid' }
  | { readonly kind: 'invalidToken' }
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number }
> {
  const throttled = await setPasswordThrottle(store, settings.localLogin, input.address, now)
  if (throttled) return throttled
  if (await store.oneTimeTokens.find(hashToken(input.token), 'set-password', now.toISOString())) {
    return { kind: 'valid' }
  }
  await store.loginFailures.record([setPasswordFailureKey(input.address)], now.toISOString())
  return { kind: 'invalidToken' }
}
