// The members of a SCIM group (RFC 7643 §4.2, G3–G5): references checked against the tenant,
// PATCH member operations carried out in order on SCIM-origin rows only, and one event per
// membership that came or went (with the roles that moved).
import { asMemberId, type GroupId } from '../domain/ids.ts'
import type { EventBatch } from '../events/record.ts'
import { ScimError } from '../scim/errors.ts'
import { valueFilterPredicate } from '../scim/filter/evaluate.ts'
import type { MemberOperation } from '../scim/patch/apply-patch.ts'
import { GROUP_RESOURCE_TYPE } from '../scim/schemas/index.ts'
import {
  memberReference,
  type GroupRecord,
  type MemberChange,
  type MemberRecord,
  type MemberReference,
  type TenantStore,
} from '../store/store.ts'

const MEMBERS_DEFINITION = GROUP_RESOURCE_TYPE.schema.attributes.find((a) => a.name === 'members')

/** Checks that every referenced member is a user or group of this tenant; returns typed refs. */
export async function resolveMembers(
  tenantStore: TenantStore,
  groupId: GroupId,
  members: readonly { value: string; type?: 'User' | 'Group' | undefined }[],
): Promise<MemberReference[]> {
  if (members.length === 0) return []
  const targets = await tenantStore.members.findTargets(members.map((m) => m.value))
  const missing = members.filter((m) => !targets.has(m.value)).map((m) => m.value)
  if (missing.length > 0) {
    const shown = missing
      .slice(0, 5)
      .map((v) => `"${v}"`)
      .join(', ')
    throw ScimError.invalidValue(
      `members ${shown}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''} ` +
        'are not users or groups of this tenant. Provision them before adding them to a group.',
    )
  }
  if (members.some((m) => m.value === groupId)) {
    throw ScimError.invalidValue('A group cannot be a member of itself.')
  }
  const seen = new Set<string>()
  const refs: MemberReference[] = []
  for (const m of members) {
    if (seen.has(m.value)) continue
    seen.add(m.value)
    refs.push(memberReference(m.value, targets.get(m.value) ?? 'User'))
  }
  return refs
}

/**
 * Members that removeWhere operations of one request may test one by one, at most: each such
 * operation tests the whole group, so a thousand of them over a large group would hold the
 * event loop for seconds (issue #7).
 */
const MAX_SCANNED_MEMBERS = 200_000

/** Carries out member operations in order (RFC 7644 §3.5.2), touching only SCIM-origin rows. */
export async function applyMemberOperations(
  tenantStore: TenantStore,
  group: Pick<GroupRecord, 'id' | 'displayName'>,
  operations: readonly MemberOperation[],
  at: string,
  events: EventBatch,
): Promise<void> {
  const groupId = group.id
  const added = (change: MemberChange) => events.members('group.member_added', group, change)
  const removed = (change: MemberChange) => events.members('group.member_removed', group, change)
  // The group's SCIM members, read once for a run of removeWhere operations.
  let scimMembers: MemberRecord[] | undefined
  let scanned = 0
  for (const op of operations) {
    if (op.kind !== 'removeWhere') scimMembers = undefined
    switch (op.kind) {
      case 'add':
        added(
          await tenantStore.members.upsert(
            groupId,
            await resolveMembers(tenantStore, groupId, op.members),
            'SCIM',
            at,
          ),
        )
        break
      case 'replace': {
        const refs = await resolveMembers(tenantStore, groupId, op.members)
        removed(
          await tenantStore.members.removeExcept(
            groupId,
            refs.map((r) => r.id),
            'SCIM',
          ),
        )
        added(await tenantStore.members.upsert(groupId, refs, 'SCIM', at))
        break
      }
      case 'remove':
        removed(await tenantStore.members.remove(groupId, op.values.map(asMemberId), 'SCIM'))
        break
      case 'removeAll':
        // G5: SCIM never removes INTERNAL memberships.
        removed(await tenantStore.members.removeExcept(groupId, [], 'SCIM'))
        break
      case 'removeWhere': {
        // A filter other than value equality (e.g. members[type eq "Group"]): evaluate it over
        // the group's SCIM members. Rare, and bounded by the group's size.
        scimMembers ??= ((await tenantStore.members.list([groupId])).get(groupId) ?? []).filter(
          (m) => m.origin === 'SCIM',
        )
        scanned += scimMembers.length
        // One such operation is always served, however large the group (as before the cap).
        if (scanned > MAX_SCANNED_MEMBERS && scanned > scimMembers.length) {
          throw ScimError.invalidValue(
            `This PATCH tests more than ${MAX_SCANNED_MEMBERS} members against filters (the ` +
              `group has ${scimMembers.length}). Send fewer members[…] filters per request, or ` +
              'remove members by id: members[value eq "<id>"].',
          )
        }
        const matches = MEMBERS_DEFINITION
          ? valueFilterPredicate(op.filter, MEMBERS_DEFINITION)
          : () => false
        const doomed = new Set(
          scimMembers
            .filter((m) => matches({ value: m.memberId, type: m.memberType, display: m.display }))
            .map((m) => m.memberId),
        )
        removed(await tenantStore.members.remove(groupId, [...doomed], 'SCIM'))
        scimMembers = scimMembers.filter((m) => !doomed.has(m.memberId))
        break
      }
    }
  }
}
