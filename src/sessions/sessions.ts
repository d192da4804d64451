// Server-side sessions (SPEC §4 "stored server-side so every instance sees revocation"): the
// cookie carries a random id, the database its sha256 with idle and absolute expiry. Every request
// re-reads the row joined with the membership, so a deactivation (D9) or deletion ends the
// session on every instance at once.
import { hashToken, newSecretToken, secondsAfter } from '../credentials/one-time-tokens.ts'
import type { TenantId, UserId } from '../domain/ids.ts'
import type { SessionView, Store } from '../store/store.ts'
import { appendEvents } from '../events/record.ts'
import type { EventDraft } from '../events/types.ts'

export const SESSION_COOKIE = 'rollcall_session'

export interface SessionSettings {
  readonly idleSeconds: number
  readonly absoluteSeconds: number
}

// Writing last-seen on every request would make every read a write; once a minute is enough for
// an idle timeout counted in hours.
const TOUCH_AFTER_MS = 60_000

/** Creates a session for a member and returns the cookie value (shown once, stored hashed). */
export async function createSession(
  store: Store,
  settings: SessionSettings,
  member: { tenantId: TenantId; userId: UserId },
  now: Date = new Date(),
  /** Events that commit with the session (a local sign-in's user.signed_in). */
  events: readonly EventDraft[] = [],
): Promise<string> {
  const id = newSecretToken()
  const at = now.toISOString()
  // The session row and the membership's last sign-in commit together.
  await store.transaction(async (trx) => {
    await trx.forTenant(member.tenantId).sessions.insert({
      idHash: hashToken(id),
      userId: member.userId,
      createdAt: at,
      lastSeenAt: at,
      idleExpiresAt: secondsAfter(now, settings.idleSeconds),
      absoluteExpiresAt: secondsAfter(now, settings.absoluteSeconds),
    })
    await appendEvents(trx, member.tenantId, events)
  })
  return id
}

/**
 * The live session of this cookie value, or undefined: unknown, expired (idle or absolute), or
 * its membership deactivated. An expired or deactivated session is deleted.
 */
export async function resolveSession(
  store: Store,
  settings: SessionSettings,
  cookieValue: string | undefined,
  now: Date = new Date(),
): Promise<SessionView | undefined> {
  if (!cookieValue || cookieValue.length > 200) return undefined
  const idHash = hashToken(cookieValue)
  const session = await store.sessions.get(idHash)
  if (!session) return undefined
  const at = now.toISOString()
  if (session.idleExpiresAt <= at || session.absoluteExpiresAt <= at || !session.active) {
    await store.sessions.delete(idHash)
    return undefined
  }
  if (now.getTime() - Date.parse(session.lastSeenAt) >= TOUCH_AFTER_MS) {
    const idle = secondsAfter(now, settings.idleSeconds)
    const idleExpiresAt = idle < session.absoluteExpiresAt ? idle : session.absoluteExpiresAt
    await store.sessions.touch(idHash, at, idleExpiresAt)
    return { ...session, lastSeenAt: at, idleExpiresAt }
  }
  return session
}

export async function endSession(store: Store, cookieValue: string | undefined): Promise<void> {
  if (!cookieValue || cookieValue.length > 200) return
  await store.sessions.delete(hashToken(cookieValue))
}
