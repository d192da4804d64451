// Group → role rules for a tenant's admins (SPEC §1 D4, §5 Roles): list, create, delete, and a
// member's role with where it comes from ("Editor, via group Engineering"). The store recomputes
// the affected members' roles in the same transaction (store/sql/role-rules.ts).
import { asGroupId, asUserId, type UserId } from '../domain/ids.ts'
import {
  effectiveRole,
  isRuleRole,
  type EffectiveRole,
  type RuleRole,
} from '../domain/role-rules.ts'
import { BUILT_IN_ROLES, type Tenant } from '../domain/types.ts'
import { AppError } from '../errors.ts'
import type { RoleRuleRecord, Store } from '../store/store.ts'
import { EventBatch } from '../events/record.ts'

export async function listRoleRules(store: Store, tenant: Tenant): Promise<RoleRuleRecord[]> {
  return store.forTenant(tenant.id).roleRules.list()
}

/** Members of the group get `role` (or more, if their own role or another rule gives more). */
export async function createRoleRule(
  store: Store,
  tenant: Tenant,
  input: { groupId: string; role: string },
): Promise<RoleRuleRecord> {
  if (!isRuleRole(input.role)) {
    throw AppError.invalidRequest(
      `Unknown role "${input.role}"; a rule gives one of ${BUILT_IN_ROLES.join(', ')}.`,
    )
  }
  const role: RuleRole = input.role
  const groupId = asGroupId(input.groupId)
  return store.transaction(async (tx) => {
    const tenantStore = tx.forTenant(tenant.id)
    const group = await tenantStore.groups.get(groupId)
    if (!group) throw AppError.notFound(`No group with id "${input.groupId}" in ${tenant.slug}.`)
    const roleChanges: UserId[] = []
    const created = await tenantStore.roleRules.create(
      groupId,
      role,
      new Date().toISOString(),
      roleChanges,
    )
    if (!created) {
      const existing = await tenantStore.roleRules.get(groupId)
      throw AppError.conflict(
        `The group "${group.displayName}" already gives the role ${existing?.role ?? 'another role'}. ` +
          'Delete that rule first to give another role.',
      )
    }
    await new EventBatch(tenant.id).rolesChanged(roleChanges).flush(tx)
    return created
  })
}

export async function deleteRoleRule(store: Store, tenant: Tenant, groupId: string): Promise<void> {
  const deleted = await store.transaction(async (tx) => {
    const roleChanges: UserId[] = []
    if (!(await tx.forTenant(tenant.id).roleRules.delete(asGroupId(groupId), roleChanges))) {
      return false
    }
    await new EventBatch(tenant.id).rolesChanged(roleChanges).flush(tx)
    return true
  })
  if (!deleted)
    throw AppError.notFound(`No role rule for the group "${groupId}" in ${tenant.slug}.`)
}

export interface RoleWithSource extends EffectiveRole {
  readonly userId: string
  /** The member's own role: set by an admin, or the default (D4). */
  readonly assignedRole: string
}

/**
 * A member's effective role and its source: the highest rule of their direct groups when it
 * ranks above their own role, else their own role (set by an admin, or the default Viewer).
 */
export async function roleWithSource(
  store: Store,
  tenant: Tenant,
  userId: string,
): Promise<RoleWithSource> {
  const facts = await store.forTenant(tenant.id).roleRules.factsOf(asUserId(userId))
  if (!facts) throw AppError.notFound(`No user with id "${userId}" in ${tenant.slug}.`)
  const computed = effectiveRole(facts.assignedRole, facts.rules)
  // The stored role is authoritative (sessions read it); the two agree by construction.
  return { userId, role: facts.role, source: computed.source, assignedRole: facts.assignedRole }
}

/** The same, for the member with this userName (email), compared case-insensitively (D1). */
export async function roleWithSourceByUserName(
  store: Store,
  tenant: Tenant,
  userName: string,
): Promise<RoleWithSource & { readonly userName: string }> {
  const id = await store.forTenant(tenant.id).users.findIdByUserName(userName)
  if (id === undefined) throw AppError.notFound(`No user "${userName}" in ${tenant.slug}.`)
  return { ...(await roleWithSource(store, tenant, id)), userName }
}

/** Groups for the rule form's picker: names containing `search` (case-insensitive), by name. */
export async function findGroupsForRules(
  store: Store,
  tenant: Tenant,
  search: string,
  limit = 20,
): Promise<{ id: string; displayName: string; origin: string }[]> {
  const text = search.trim()
  const page = await store.forTenant(tenant.id).groups.list({
    ...(text === ''
      ? {}
      : {
          filter: {
            kind: 'compare' as const,
            path: { attr: 'displayName' },
            op: 'co' as const,
            value: text,
          },
        }),
    sortBy: { attr: 'displayName' },
    sortOrder: 'ascending',
    startIndex: 1,
    count: limit,
  })
  return page.items.map((g) => ({ id: g.id, displayName: g.displayName, origin: g.origin }))
}
