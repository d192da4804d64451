// SCIM /Groups operations (RFC 7644 §3.3–3.6) with the group rules of SPEC §1: identified by
// name (G1), conversion of INTERNAL groups (G2), SCIM-origin memberships (G3–G5), description
// extension (G6). Member changes cost O(changed members): they are row inserts and deletes,
// never a read-modify-write of a member list.
import { isDeepStrictEqual } from 'node:util'
import { asGroupId, newGroupId, type UserId } from '../domain/ids.ts'
import { groupChangeEvents, groupEvent } from '../events/data.ts'
import { recording } from '../events/record.ts'
import { ScimError } from '../scim/errors.ts'
import { applyPatch } from '../scim/patch/apply-patch.ts'
import { normalizeResource } from '../scim/resources/normalize.ts'
import { GROUP_RESOURCE_TYPE } from '../scim/schemas/index.ts'
import { UniqueViolation, type GroupRecord, type ListQuery, type Page } from '../store/store.ts'
import { groupWriteOf } from '../store/sql/columns.ts'
import { RFC3339_NOW, type ProvisioningContext } from './context.ts'
import { applyMemberOperations, resolveMembers } from './group-members.ts'
import { checkIfMatch, deleteChecked, retryOnConflict, VersionConflict } from './versioning.ts'

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
          // The version moves on with the members (an update above moved it already); the
          // response carries the row as it is now.
          if (group === existing) group = (await tenantStore.groups.touch(groupId, at)) ?? group
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
