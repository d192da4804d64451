// The directory as the host application sees it (SPEC §6): the user and group representations of
// the directory API (/api/v1) and of the events' `data`. One shape for both, so that an app that
// reconciles from a snapshot and then follows the feed reads the same fields everywhere. Plain
// JSON values only: these objects are serialised into the event log as they are.
import type { GroupRecord, UserRecord } from '../store/store.ts'

export interface DirectoryUser {
  readonly object: 'user'
  readonly id: string
  readonly userName: string
  /** The primary email (else the first, else the userName). */
  readonly email: string
  readonly displayName: string | null
  readonly givenName: string | null
  readonly familyName: string | null
  readonly externalId: string | null
  readonly active: boolean
  /** INTERNAL (managed in Rollcall) or SCIM (managed by the identity provider). */
  readonly origin: 'INTERNAL' | 'SCIM'
  /** The effective role (the highest of the user's own and those their groups give). */
  readonly role: string
  readonly createdAt: string
  readonly updatedAt: string
}

export interface DirectoryGroup {
  readonly object: 'group'
  readonly id: string
  readonly displayName: string
  readonly externalId: string | null
  readonly origin: 'INTERNAL' | 'SCIM'
  readonly createdAt: string
  readonly updatedAt: string
}

/** A member as member events and the members list name it. */
export interface DirectoryMember {
  readonly id: string
  readonly type: 'user' | 'group'
}

function stringAt(value: unknown, key: string): string | null {
  if (typeof value !== 'object' || value === null) return null
  const found = (value as Record<string, unknown>)[key]
  return typeof found === 'string' ? found : null
}

/** The primary email of a user's SCIM document, else the first, else the userName. */
export function primaryEmailOf(user: Pick<UserRecord, 'doc' | 'userName'>): string {
  const emails = Array.isArray(user.doc.emails) ? (user.doc.emails as unknown[]) : []
  const chosen =
    emails.find(
      (e) => typeof e === 'object' && e !== null && (e as { primary?: unknown }).primary === true,
    ) ?? emails[0]
  return stringAt(chosen, 'value') ?? user.userName
}

export function directoryUserOf(user: UserRecord): DirectoryUser {
  return {
    object: 'user',
    id: user.id,
    userName: user.userName,
    email: primaryEmailOf(user),
    displayName: user.displayName,
    givenName: stringAt(user.doc.name, 'givenName'),
    familyName: stringAt(user.doc.name, 'familyName'),
    externalId: user.externalId,
    active: user.active,
    origin: user.origin,
    role: user.role,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  }
}

export function directoryGroupOf(group: GroupRecord): DirectoryGroup {
  return {
    object: 'group',
    id: group.id,
    displayName: group.displayName,
    externalId: group.externalId,
    origin: group.origin,
    createdAt: group.createdAt,
    updatedAt: group.updatedAt,
  }
}
