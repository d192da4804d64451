// A tenant's groups as admins see and change them (the console and the admin API): list, show with
// members and their origin, create INTERNAL groups, add and remove INTERNAL members — of SCIM groups
// too (SPEC §1 G4); SCIM members are the identity provider's to remove.
import { memberRemovalRefusal } from '../domain/admin-rules.ts'
import { asGroupId, asUserId, type GroupId, type MemberId } from '../domain/ids.ts'
import type { Origin, Tenant } from '../domain/types.ts'
import { AppError } from '../errors.ts'
import type { Filter } from '../scim/filter/ast.ts'
import type { GroupRecord, MemberRecord, Store } from '../store/store.ts'
import { createInternalGroup } from './internal.ts'
import { EventBatch } from '../events/record.ts'

/** The most groups one page of the admin's list holds. */
export const MAX_GROUP_LIST_LIMIT = 200

export interface GroupView {
  readonly id: string
  readonly displayName: string
  readonly externalId: string | null
  readonly origin: Origin
  readonly createdAt: string
  readonly updatedAt: string
}

export interface MemberView {
  readonly id: string
  readonly type: 'User' | 'Group'
  readonly display: string | null
  readonly origin: Origin
  /** G4: why an admin may not remove this member; absent when they may. */
  readonly removalRefusal?: string
}

export function groupView(group: GroupRecord): GroupView {
  return {
    id: group.id,
    displayName: group.displayName,
    externalId: group.externalId,
    origin: group.origin,
    createdAt: group.createdAt,
    updatedAt: group.updatedAt,
  }
}

export function memberView(member: MemberRecord): MemberView {
  const refusal = memberRemovalRefusal(member.origin)
  return {
    id: member.memberId,
    type: member.memberType,
    display: member.display,
    origin: member.origin,
    ...(refusal === undefined ? {} : { removalRefusal: refusal }),
  }
}

/** One page (1-based) of the tenant's groups, by name containing `search`, in creation order. */
export async function listGroups(
  store: Store,
  tenant: Tenant,
  query: { search?: string | undefined; page: number; limit: number },
): Promise<{ items: GroupView[]; total: number }> {
  const limit = Math.min(Math.max(1, Math.trunc(query.limit)), MAX_GROUP_LIST_LIMIT)
  const page = Math.max(1, Math.trunc(query.page))
  const search = query.search?.trim()
  // displayName is caseExact=false (RFC 7643 §4.2): "co" compares case-insensitively, in SQL.
  const filter: Filter | undefined = search
    ? { kind: 'compare', path: { attr: 'displayName' }, op: 'co', value: search }
    : undefined
  const result = await store.forTenant(tenant.id).groups.list({
    filter,
    sortOrder: 'ascending',
    startIndex: (page - 1) * limit + 1,
    count: limit,
  })
  return { items: result.items.map(groupView), total: result.totalResults }
}

function groupNotFound(id: string): AppError {
  return AppError.notFound(`This tenant has no group with id ${id.slice(0, 100)}.`)
}

export async function getGroup(store: Store, tenant: Tenant, id: string): Promise<GroupRecord> {
  const group = await store.forTenant(tenant.id).groups.get(asGroupId(id))
  if (!group) throw groupNotFound(id)
  return group
}

/** The most members one page of a group's detail holds. */
export const MAX_MEMBER_PAGE_LIMIT = 200

/**
 * The group and one page of its members in member id order, after `cursor` (the last member id of
 * the previous page), with the origin of each membership, the member count and the next cursor
 * (null on the last page). O(limit) plus a COUNT of the group's index range.
 */
export async function groupWithMembers(
  store: Store,
  tenant: Tenant,
  id: string,
  query: { cursor?: string | undefined; limit: number },
): Promise<{
  group: GroupRecord
  members: MemberRecord[]
  total: number
  nextCursor: string | null
}> {
  const group = await getGroup(store, tenant, id)
  const limit = Math.min(Math.max(1, Math.trunc(query.limit)), MAX_MEMBER_PAGE_LIMIT)
  const after = query.cursor === undefined || query.cursor === '' ? undefined : query.cursor
  // One more than the page: whether a next page exists without a second query.
  const page = await store.forTenant(tenant.id).members.page(group.id, { after, limit: limit + 1 })
  const members = page.items.slice(0, limit)
  const more = page.items.length > limit
  return {
    group,
    members,
    total: page.total,
    nextCursor: more ? (members[members.length - 1]?.memberId ?? null) : null,
  }
}

export async function createGroup(
  store: Store,
  tenant: Tenant,
  displayName: string,
): Promise<GroupRecord> {
  return createInternalGroup(store, tenant, { name: displayName.trim(), memberEmails: [] })
}

/** Whether the user or group `memberId` is a direct member of `groupId` (O(its groups)). */
async function isMember(store: Store, tenant: Tenant, groupId: GroupId, memberId: MemberId) {
  const groups = await store.forTenant(tenant.id).users.groupsOf([asUserId(memberId)])
  return (groups.get(asUserId(memberId)) ?? []).some((g) => g.groupId === groupId)
}

/** G4: adds a user of the tenant as an INTERNAL member, also of a SCIM group. */
export async function addInternalMember(
  store: Store,
  tenant: Tenant,
  groupId: string,
  userId: string,
): Promise<void> {
  await store.transaction(async (tx) => {
    const group = await getGroup(tx, tenant, groupId)
    const tenantStore = tx.forTenant(tenant.id)
    const user = await tenantStore.users.get(asUserId(userId))
    if (!user) throw AppError.notFound(`This tenant has no user with id ${userId.slice(0, 100)}.`)
    if (await isMember(tx, tenant, group.id, user.id)) {
      throw AppError.conflict(`${user.userName} is already a member of ${group.displayName}.`)
    }
    const at = new Date().toISOString()
    const change = await tenantStore.members.upsert(
      group.id,
      [{ id: user.id, type: 'User' }],
      'INTERNAL',
      at,
      { keepExisting: true },
    )
    await tenantStore.groups.touch(group.id, at)
    await new EventBatch(tenant.id).members('group.member_added', group, change).flush(tx)
  })
}

/** G4: removes an INTERNAL member; a SCIM member is refused with the reason (scim_controlled). */
export async function removeInternalMember(
  store: Store,
  tenant: Tenant,
  groupId: string,
  memberId: string,
): Promise<void> {
  await store.transaction(async (tx) => {
    const group = await getGroup(tx, tenant, groupId)
    const id = memberId as MemberId
    if (!(await isMember(tx, tenant, group.id, id))) {
      throw AppError.notFound(
        `${group.displayName} has no member with id ${memberId.slice(0, 100)}.`,
      )
    }
    const tenantStore = tx.forTenant(tenant.id)
    // Only an INTERNAL membership goes (G5's rule, the other way round); one still there is SCIM's.
    const change = await tenantStore.members.remove(group.id, [id], 'INTERNAL')
    if (await isMember(tx, tenant, group.id, id)) {
      throw AppError.scimControlled(memberRemovalRefusal('SCIM') ?? '')
    }
    await tenantStore.groups.touch(group.id, new Date().toISOString())
    await new EventBatch(tenant.id).members('group.member_removed', group, change).flush(tx)
  })
}
