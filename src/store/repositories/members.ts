// The members of one tenant's groups (RFC 7643 §4.2 `members`), each with the origin that
// controls the membership (G3–G5).
import type { GroupId, MemberId, UserId } from '../../domain/ids.ts'
import type { Origin } from '../../domain/types.ts'

export type MemberType = 'User' | 'Group'

export interface MemberRecord {
  readonly memberId: MemberId
  readonly memberType: MemberType
  readonly origin: Origin
  /** The member's displayName (or userName), for `members[].display`. */
  readonly display: string | null
}

export type MemberReference =
  { readonly id: UserId; readonly type: 'User' } | { readonly id: GroupId; readonly type: 'Group' }

/** The reference to a member whose type the store reported (findTargets). */
export function memberReference(id: string, type: MemberType): MemberReference {
  return type === 'User' ? { id: id as UserId, type } : { id: id as GroupId, type }
}

/** What a member change did: the memberships that came or went, and whose role that moved. */
export interface MemberChange {
  /** Memberships added (upsert) or removed (remove, removeExcept); origin conversions are not. */
  readonly members: readonly MemberReference[]
  /** Users whose effective role changed (the group has a role rule). */
  readonly roleChanged: readonly UserId[]
}

/** Every change recomputes the roles of the members it touches when the group has a role rule. */
export interface MemberRepository {
  /** Members with their origin and display name. */
  list(groupIds: readonly GroupId[]): Promise<Map<GroupId, MemberRecord[]>>
  /**
   * One page of a group's members in member id order, after the member id `after` (keyset on the
   * group_members key), with the group's member count. O(limit) plus a COUNT of the group's range.
   */
  page(
    groupId: GroupId,
    query: { after?: string | undefined; limit: number },
  ): Promise<{ items: MemberRecord[]; total: number }>
  /**
   * One page of a group's members of one origin in member id order, after the member id `after`;
   * no count. O(limit): a large group is read page by page (a streamed SCIM GET).
   */
  scan(
    groupId: GroupId,
    query: { after?: string | undefined; limit: number; origin: Origin },
  ): Promise<MemberRecord[]>
  /** Which of these ids (as a client sent them) are users / groups of this tenant. */
  findTargets(ids: readonly string[]): Promise<Map<string, MemberType>>
  /**
   * Adds members with this origin. An existing membership of the other origin is converted to
   * `origin` (G3, SCIM adds) unless `keepExisting` (an admin adding an INTERNAL member leaves an
   * existing SCIM membership alone). Costs O(members given).
   */
  upsert(
    groupId: GroupId,
    members: readonly MemberReference[],
    origin: Origin,
    at: string,
    options?: { keepExisting?: boolean },
  ): Promise<MemberChange>
  /** Removes these members, but only those of the given origin (G5). */
  remove(groupId: GroupId, memberIds: readonly MemberId[], origin: Origin): Promise<MemberChange>
  /** Removes every member of the given origin except `keep` (a SCIM replace of members, G5). */
  removeExcept(groupId: GroupId, keep: readonly MemberId[], origin: Origin): Promise<MemberChange>
}
