// Changes the host application makes through the directory API (/api/v1) beyond the console's:
// an INTERNAL user's names, renaming and deleting INTERNAL groups. SCIM-controlled records are
// refused with the reason (D8, G4), as the console refuses its changes.
import { groupChangeRefusal, userProfileRefusal } from '../domain/admin-rules.ts'
import type { Tenant } from '../domain/types.ts'
import type { UserId } from '../domain/ids.ts'
import { AppError } from '../errors.ts'
import { groupChangeEvents, groupEvent, userChangeEvents } from '../events/data.ts'
import { appendEvents, EventBatch } from '../events/record.ts'
import { userWriteOf } from '../store/sql/columns.ts'
import { UniqueViolation, type GroupRecord, type Store, type UserRecord } from '../store/store.ts'
import { getGroup } from './groups.ts'
import { getUser } from './users.ts'

export interface UserNames {
  /** null clears it; undefined keeps it. */
  readonly displayName?: string | null | undefined
  readonly givenName?: string | null | undefined
  readonly familyName?: string | null | undefined
}

function nameOf(doc: Record<string, unknown>): Record<string, unknown> {
  const name = doc.name
  return typeof name === 'object' && name !== null ? { ...(name as Record<string, unknown>) } : {}
}

function setOrDrop(target: Record<string, unknown>, key: string, value: string | null | undefined) {
  if (value === undefined) return
  const trimmed = value?.trim()
  if (trimmed) target[key] = trimmed
  else delete target[key]
}

/** D8: changes the names of an INTERNAL user; refused for SCIM-controlled users. */
export async function updateUserNames(
  store: Store,
  tenant: Tenant,
  id: string,
  names: UserNames,
): Promise<UserRecord> {
  return store.transaction(async (tx) => {
    const users = tx.forTenant(tenant.id).users
    // Compare-and-set: a concurrent change (SCIM converting the user, D5) makes it re-read.
    for (let attempt = 0; attempt < 3; attempt++) {
      const user = await getUser(tx, tenant, id)
      const refusal = userProfileRefusal(user.origin)
      if (refusal !== undefined) throw AppError.scimControlled(refusal)
      const doc = { ...user.doc }
      const name = nameOf(doc)
      setOrDrop(name, 'givenName', names.givenName)
      setOrDrop(name, 'familyName', names.familyName)
      if (Object.keys(name).length > 0) doc.name = name
      else delete doc.name
      setOrDrop(doc, 'displayName', names.displayName)
      const updated = await users.update(
        user.id,
        user.version,
        userWriteOf(doc),
        new Date().toISOString(),
      )
      if (updated) {
        await appendEvents(tx, tenant.id, userChangeEvents(user, updated))
        return updated
      }
    }
    throw AppError.conflict('The user changed meanwhile; read it again and retry.')
  })
}

/** G1, G4: renames an INTERNAL group (names are unique in the tenant, case-insensitively). */
export async function renameGroup(
  store: Store,
  tenant: Tenant,
  id: string,
  displayName: string,
): Promise<GroupRecord> {
  const name = displayName.trim()
  if (name === '') throw AppError.invalidRequest('A group needs a name.')
  try {
    return await store.transaction(async (tx) => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const group = await getGroup(tx, tenant, id)
        const refusal = groupChangeRefusal(group.origin, 'rename')
        if (refusal !== undefined) throw AppError.scimControlled(refusal)
        if (group.displayName === name) return group
        const updated = await tx.forTenant(tenant.id).groups.update(
          group.id,
          group.version,
          {
            displayName: name,
            externalId: group.externalId,
            doc: { ...group.doc, displayName: name },
          },
          new Date().toISOString(),
        )
        if (updated) {
          await appendEvents(tx, tenant.id, groupChangeEvents(group, updated))
          return updated
        }
      }
      throw AppError.conflict('The group changed meanwhile; read it again and retry.')
    })
  } catch (error) {
    if (error instanceof UniqueViolation) {
      throw AppError.conflict(
        `A group named "${name.slice(0, 200)}" already exists in ${tenant.slug}.`,
      )
    }
    throw error
  }
}

/** G4: deletes an INTERNAL group with its memberships (and its role rule); refused for SCIM groups. */
export async function deleteGroup(store: Store, tenant: Tenant, id: string): Promise<void> {
  await store.transaction(async (tx) => {
    const group = await getGroup(tx, tenant, id)
    const refusal = groupChangeRefusal(group.origin, 'delete')
    if (refusal !== undefined) throw AppError.scimControlled(refusal)
    // Its memberships end with it (group.deleted says so); a role rule's members may lose a role.
    const roleChanges: UserId[] = []
    if (!(await tx.forTenant(tenant.id).groups.delete(group.id, roleChanges))) {
      throw AppError.notFound(`This tenant has no group with id ${id.slice(0, 100)}.`)
    }
    await new EventBatch(tenant.id)
      .add(groupEvent('group.deleted', group))
      .rolesChanged(roleChanges)
      .flush(tx)
  })
}
