// SCIM /Groups operations (RFC 7644 §3.3–3.6) with the group rules of SPEC §1: identified by
// name (G1), conversion of INTERNAL groups (G2), SCIM-origin memberships (G3–G5), description
// extension (G6). Member changes cost O(changed members): they are row inserts and deletes,
// never a read-modify-write of a member list.
import { isDeepStrictEqual } from 'node:util'
import { asGroupId, asMemberId, newGroupId, type GroupId, type UserId } from '../domain/ids.ts'
import { groupChangeEvents, groupEvent } from '../events/data.ts'
import { recording, type EventBatch } from '../events/record.ts'
import { ScimError } from '../scim/errors.ts'
import { valueFilterPredicate } from '../scim/filter/evaluate.ts'
import { applyPatch, type MemberOperation } from '../scim/patch/apply-patch.ts'
import { normalizeResource } from '../scim/resources/normalize.ts'
import { GROUP_RESOURCE_TYPE } from '../scim/schemas/index.ts'
import {
  UniqueViolation,
  type GroupRecord,
  type ListQuery,
  type MemberChange,
  type MemberRecord,
  type MemberReference,
  type Page,
  type TenantStore,
  memberReference,
} from '../store/store.ts'
import { groupWriteOf } from '../store/sql/columns.ts'
import { RFC3339_NOW, type ProvisioningContext } from './context.ts'
import { checkIfMatch, deleteChecked, retryOnConflict, VersionConflict } from './versioning.ts'

const MEMBERS_DEFINITION = GROUP_RESOURCE_TYPE.schema.attributes.find((a) => a.name === 'members')

async function withUniqueness<T>(displayName: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (error instanceof UniqueViolation) {
      throw ScimError.uniqueness(`A group named "${displayName}" already exists in this tenant.`)
    }
    throw error
  }
}

/** Checks that every referenced member is a user or group of this tenant; returns typed refs. */
async function resolveMembers(
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
async function applyMemberOperations(
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

/** POST /Groups (RFC 7644 §3.3); a name matching an INTERNAL group converts it (G2). */
export async function createGroup(ctx: ProvisioningContext, body: unknown): Promise<GroupRecord> {
  const normalized = normalizeResource(body, GROUP_RESOURCE_TYPE, {
    quirks: ctx.quirks,
    mode: 'create',
  })
  const write = groupWriteOf(normalized.doc)
  return withUniqueness(write.displayName, () =>
    retryOnConflict(() =>
      ctx.store.transaction((store) =>
        recording(store, ctx.tenant.id, async (events) => {
          const tenantStore = store.forTenant(ctx.tenant.id)
          const at = RFC3339_NOW()
          const existing = await tenantStore.groups.getByName(write.displayName)
          let group: GroupRecord
          if (existing === undefined) {
            group = await tenantStore.groups.insert(newGroupId(), write, 'SCIM', at)
          } else if (existing.origin === 'INTERNAL') {
            const converted = await tenantStore.groups.update(
              existing.id,
              existing.version,
              write,
              at,
              {
                origin: 'SCIM',
              },
            )
            if (!converted) throw new VersionConflict()
            group = converted
          } else {
            throw ScimError.uniqueness(
              `A group named "${write.displayName}" already exists in this tenant (id ${existing.id}).`,
            )
          }
          events.add(...groupChangeEvents(existing, group))
          if (normalized.members && normalized.members.length > 0) {
            const refs = await resolveMembers(tenantStore, group.id, normalized.members)
            events.members(
              'group.member_added',
              group,
              await tenantStore.members.upsert(group.id, refs, 'SCIM', at),
            )
          }
          return group
        }),
      ),
    ),
  )
}

export async function getGroup(ctx: ProvisioningContext, id: string): Promise<GroupRecord> {
  const group = await ctx.store.forTenant(ctx.tenant.id).groups.get(asGroupId(id))
  if (!group) throw ScimError.notFound('Group', id)
  return group
}

export async function listGroups(
  ctx: ProvisioningContext,
  query: ListQuery,
): Promise<Page<GroupRecord>> {
  return ctx.store.forTenant(ctx.tenant.id).groups.list(query)
}

/** PUT /Groups/{id} (RFC 7644 §3.5.1): the SCIM-origin members become exactly those given. */
export async function replaceGroup(
  ctx: ProvisioningContext,
  id: string,
  body: unknown,
  ifMatch: string | undefined,
): Promise<GroupRecord> {
  const groupId = asGroupId(id)
  const normalized = normalizeResource(body, GROUP_RESOURCE_TYPE, {
    quirks: ctx.quirks,
    mode: 'replace',
  })
  const write = groupWriteOf(normalized.doc)
  return withUniqueness(write.displayName, () =>
    retryOnConflict(() =>
      ctx.store.transaction((store) =>
        recording(store, ctx.tenant.id, async (events) => {
          const tenantStore = store.forTenant(ctx.tenant.id)
          const existing = await tenantStore.groups.get(groupId)
          if (!existing) throw ScimError.notFound('Group', id)
          checkIfMatch(ifMatch, existing.version)
          const at = RFC3339_NOW()
          const updated = await tenantStore.groups.update(groupId, existing.version, write, at, {
            origin: 'SCIM',
          })
          if (!updated) throw new VersionConflict()
          events.add(...groupChangeEvents(existing, updated))
          if (normalized.members !== undefined) {
            await applyMemberOperations(
              tenantStore,
              updated,
              [{ kind: 'replace', members: [...normalized.members] }],
              at,
              events,
            )
          }
          return updated
        }),
      ),
    ),
  )
}

/** PATCH /Groups/{id} (RFC 7644 §3.5.2), atomic. Returns the group after the change. */
export async function patchGroup(
  ctx: ProvisioningContext,
  id: string,
  body: unknown,
  ifMatch: string | undefined,
): Promise<GroupRecord> {
  const groupId = asGroupId(id)
  return retryOnConflict(() =>
    ctx.store.transaction((store) =>
      recording(store, ctx.tenant.id, async (events) => {
        const tenantStore = store.forTenant(ctx.tenant.id)
        const existing = await tenantStore.groups.get(groupId)
        if (!existing) throw ScimError.notFound('Group', id)
        checkIfMatch(ifMatch, existing.version)
        const result = applyPatch(body, existing.doc, GROUP_RESOURCE_TYPE, ctx.quirks)
        const at = RFC3339_NOW()
        let group = existing
        const docChanged = result.changed && !isDeepStrictEqual(result.doc, existing.doc)
        if (docChanged || (result.changed && existing.origin !== 'SCIM')) {
          const write = groupWriteOf(result.doc)
          const updated = await withUniqueness(write.displayName, () =>
            tenantStore.groups.update(groupId, existing.version, write, at, { origin: 'SCIM' }),
          )
          if (!updated) throw new VersionConflict()
          group = updated
          events.add(...groupChangeEvents(existing, updated))
        }
        if (result.memberOps.length > 0) {
          await applyMemberOperations(tenantStore, group, result.memberOps, at, events)
          if (group === existing) await tenantStore.groups.touch(groupId, at)
          // The version moved on; re-read so the response carries the right meta.
          group = (await tenantStore.groups.get(groupId)) ?? group
        }
        return group
      }),
    ),
  )
}

/** DELETE /Groups/{id} (RFC 7644 §3.6). */
export async function deleteGroup(
  ctx: ProvisioningContext,
  id: string,
  ifMatch: string | undefined,
): Promise<void> {
  const groupId = asGroupId(id)
  await deleteChecked<GroupRecord>(ctx, 'Group', id, ifMatch, (tenantStore) => ({
    get: () => tenantStore.groups.get(groupId),
    remove: async (existing, events) => {
      // Its memberships end with it (group.deleted says so); a role rule's members may lose a role.
      const roleChanges: UserId[] = []
      if (!(await tenantStore.groups.delete(groupId, roleChanges))) return false
      events.add(groupEvent('group.deleted', existing)).rolesChanged(roleChanges)
      return true
    },
  }))
}
