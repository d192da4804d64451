// The `data` of each event: the resource after the change, in the shapes the directory API
// shows (directory/views.ts), and safe views of connections and SCIM tokens (never a secret).
import { isDeepStrictEqual } from 'node:util'
import { directoryGroupOf, directoryUserOf, type DirectoryUser } from '../directory/views.ts'
import type {
  GroupRecord,
  LoginConnectionRecord,
  MemberReference,
  UserRecord,
} from '../store/store.ts'
import type { EventDraft } from './types.ts'

export function userEvent(
  type:
    | 'user.created'
    | 'user.updated'
    | 'user.deactivated'
    | 'user.reactivated'
    | 'user.deleted'
    | 'user.role_changed',
  user: UserRecord,
): EventDraft {
  return { type, data: directoryUserOf(user) }
}

export function groupEvent(
  type: 'group.created' | 'group.updated' | 'group.deleted',
  group: GroupRecord,
): EventDraft {
  return { type, data: directoryGroupOf(group) }
}

export function memberEvents(
  type: 'group.member_added' | 'group.member_removed',
  group: Pick<GroupRecord, 'id' | 'displayName'>,
  members: readonly MemberReference[],
): EventDraft[] {
  return members.map((m) => ({
    type,
    data: {
      group: { id: group.id, displayName: group.displayName },
      member: { id: m.id, type: m.type === 'User' ? 'user' : 'group' },
    },
  }))
}

/** What an app may know of a login connection: never its client id's secret. */
export function connectionView(connection: LoginConnectionRecord) {
  return {
    object: 'connection' as const,
    id: connection.id,
    name: connection.name,
    issuer: connection.issuer,
    clientId: connection.clientId,
    domain: connection.domain,
    status: connection.status,
    verifiedAt: connection.verifiedAt,
    jitEnabled: connection.jitEnabled,
    createdAt: connection.createdAt,
    updatedAt: connection.updatedAt,
  }
}

export function connectionEvent(
  type: 'connection.created' | 'connection.updated' | 'connection.verified' | 'connection.deleted',
  connection: LoginConnectionRecord,
): EventDraft {
  return { type, data: connectionView(connection) }
}

/** A SCIM token by its id (the JWT's jti); the token itself is shown once and never stored. */
export function scimTokenEvent(
  type: 'scim_token.issued' | 'scim_token.revoked',
  tokenId: string,
  at: string,
): EventDraft {
  return type === 'scim_token.issued'
    ? { type, data: { object: 'scim_token', id: tokenId, issuedAt: at } }
    : { type, data: { object: 'scim_token', id: tokenId, revokedAt: at } }
}

export function signedInEvent(
  user: UserRecord,
  how: { method: 'sso' | 'local'; connectionId: string | null },
): EventDraft {
  const data: DirectoryUser & { method: string; connectionId: string | null } = {
    ...directoryUserOf(user),
    method: how.method,
    connectionId: how.connectionId,
  }
  return { type: 'user.signed_in', data }
}

/** The view without what every write moves (updatedAt) or what has its own event. */
function comparable(user: UserRecord) {
  const { updatedAt: _updated, active: _active, role: _role, ...rest } = directoryUserOf(user)
  const { active: _docActive, meta: _meta, ...doc } = user.doc as Record<string, unknown>
  return { rest, doc }
}

/**
 * The events of a user write: deactivated / reactivated when `active` flipped, role_changed when
 * the effective role moved, updated when anything else changed; none for a write that changed
 * nothing (Entra sends such PATCHes).
 */
export function userChangeEvents(before: UserRecord | undefined, after: UserRecord): EventDraft[] {
  if (before === undefined) return [userEvent('user.created', after)]
  const events: EventDraft[] = []
  if (!isDeepStrictEqual(comparable(before), comparable(after))) {
    events.push(userEvent('user.updated', after))
  }
  if (before.active !== after.active) {
    events.push(userEvent(after.active ? 'user.reactivated' : 'user.deactivated', after))
  }
  if (before.role !== after.role) events.push(userEvent('user.role_changed', after))
  return events
}

/** group.updated when the group's own attributes or origin changed (member changes have theirs). */
export function groupChangeEvents(
  before: GroupRecord | undefined,
  after: GroupRecord,
): EventDraft[] {
  if (before === undefined) return [groupEvent('group.created', after)]
  const strip = (g: GroupRecord) => {
    const { updatedAt: _updated, ...rest } = directoryGroupOf(g)
    const { members: _members, meta: _meta, ...doc } = g.doc as Record<string, unknown>
    return { rest, doc }
  }
  return isDeepStrictEqual(strip(before), strip(after)) ? [] : [groupEvent('group.updated', after)]
}
