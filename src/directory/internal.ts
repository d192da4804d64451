// Directory operations of admins (CLI now, console and admin API later) on INTERNAL records,
// with the ownership rules of SPEC §1 (D2, D8, G4).
import { emailIdentityOf } from '../domain/directory-rules.ts'
import { newGroupId, newUserId, type UserId } from '../domain/ids.ts'
import { BUILT_IN_ROLES, type Tenant } from '../domain/types.ts'
import { AppError } from '../errors.ts'
import { groupEvent, userChangeEvents, userEvent } from '../events/data.ts'
import { appendEvents, EventBatch } from '../events/record.ts'
import type { GroupRecord, MemberRecord, Store, UserRecord } from '../store/store.ts'
import { UniqueViolation } from '../store/store.ts'

/** Adds a person to a tenant as an INTERNAL member (D2: INTERNAL members may be in several tenants). */
export async function addInternalUser(
  store: Store,
  tenant: Tenant,
  input: { email: string; role?: string | undefined; displayName?: string | undefined },
): Promise<UserRecord> {
  const emailNorm = emailIdentityOf(input.email)
  if (emailNorm === undefined)
    throw AppError.invalidRequest(`"${input.email}" is not an email address.`)
  const role = input.role ?? 'Viewer'
  if (!(BUILT_IN_ROLES as readonly string[]).includes(role)) {
    throw AppError.invalidRequest(
      `Unknown role "${role}"; use one of ${BUILT_IN_ROLES.join(', ')}.`,
    )
  }
  return store.transaction(async (tx) => {
    const tenantStore = tx.forTenant(tenant.id)
    const at = new Date().toISOString()
    const identity = await tenantStore.users.identityByEmail(emailNorm)
    if (identity?.inThisTenant) {
      throw AppError.conflict(`${input.email} is already a member of ${tenant.slug}.`)
    }
    let userId: UserId
    if (identity) {
      userId = identity.userId
      // D2: a SCIM-controlled user belongs to exactly one tenant.
      if (identity.scimControlledElsewhere) {
        throw AppError.conflict(
          `${input.email} is controlled by SCIM in another tenant and cannot be added here.`,
        )
      }
    } else {
      userId = newUserId()
      await tenantStore.users.insertIdentity(userId, emailNorm, at)
    }
    const doc: Record<string, unknown> = {
      userName: input.email,
      emails: [{ value: input.email, type: 'work', primary: true }],
      active: true,
      ...(input.displayName ? { displayName: input.displayName } : {}),
    }
    const user = await tenantStore.users.insert(
      userId,
      {
        userName: input.email,
        externalId: null,
        displayName: input.displayName ?? null,
        active: true,
        doc,
        emails: [{ value: input.email, type: 'work', primary: true }],
      },
      { origin: 'INTERNAL', role },
      at,
    )
    await appendEvents(tx, tenant.id, [userEvent('user.created', user)])
    return user
  })
}

/** Creates an INTERNAL group, optionally with INTERNAL members given by email. */
export async function createInternalGroup(
  store: Store,
  tenant: Tenant,
  input: { name: string; memberEmails: readonly string[] },
): Promise<GroupRecord> {
  if (input.name.trim() === '') throw AppError.invalidRequest('A group needs a name.')
  try {
    return await store.transaction(async (tx) => {
      const tenantStore = tx.forTenant(tenant.id)
      const at = new Date().toISOString()
      const group = await tenantStore.groups.insert(
        newGroupId(),
        { displayName: input.name, externalId: null, doc: { displayName: input.name } },
        'INTERNAL',
        at,
      )
      const members = []
      for (const email of input.memberEmails) {
        const id = await tenantStore.users.findIdByUserName(email)
        if (id === undefined) throw AppError.notFound(`${email} is not a member of ${tenant.slug}.`)
        members.push({ id, type: 'User' as const })
      }
      const change = await tenantStore.members.upsert(group.id, members, 'INTERNAL', at, {
        keepExisting: true,
      })
      await new EventBatch(tenant.id)
        .add(groupEvent('group.created', group))
        .members('group.member_added', group, change)
        .flush(tx)
      return group
    })
  } catch (error) {
    if (error instanceof UniqueViolation) {
      throw AppError.conflict(`A group named "${input.name}" already exists in ${tenant.slug}.`)
    }
    throw error
  }
}

export async function showGroup(
  store: Store,
  tenant: Tenant,
  name: string,
): Promise<{ group: GroupRecord; members: MemberRecord[] }> {
  const tenantStore = store.forTenant(tenant.id)
  const group = await tenantStore.groups.getByName(name)
  if (!group) throw AppError.notFound(`No group named "${name}" in ${tenant.slug}.`)
  const members = (await tenantStore.members.list([group.id])).get(group.id) ?? []
  return { group, members }
}

/**
 * `admin create`: makes the person an Admin of the tenant. A member already (INTERNAL or SCIM,
 * D8: the role stays editable) is promoted; anybody else becomes an INTERNAL member with role
 * Admin, unless SCIM controls them in another tenant (D2).
 */
export async function ensureAdmin(
  store: Store,
  tenant: Tenant,
  email: string,
): Promise<{ user: UserRecord; promoted: boolean }> {
  const emailNorm = emailIdentityOf(email)
  if (emailNorm === undefined) throw AppError.invalidRequest(`"${email}" is not an email address.`)
  const identity = await store.forTenant(tenant.id).users.identityByEmail(emailNorm)
  if (identity?.inThisTenant) {
    const user = await store.transaction(async (tx) => {
      const users = tx.forTenant(tenant.id).users
      const before = await users.get(identity.userId)
      const updated = await users.setRole(identity.userId, 'Admin', new Date().toISOString())
      if (before && updated) await appendEvents(tx, tenant.id, userChangeEvents(before, updated))
      return updated
    })
    if (!user)
      throw AppError.conflict(`${email} is no longer a member of ${tenant.slug}; try again.`)
    return { user, promoted: true }
  }
  return { user: await addInternalUser(store, tenant, { email, role: 'Admin' }), promoted: false }
}
