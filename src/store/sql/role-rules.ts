// The role_rules table (one rule per group) and the effective role kept in tenant_users.role: one
// SQL expression that follows domain/role-rules.ts effectiveRole, applied by set-based UPDATEs to
// exactly the members a change touches (a group's members by subquery, or ids in chunks).
import { sql, type ExpressionBuilder, type Kysely, type RawBuilder } from 'kysely'
import { isRuleRole, roleRank, type ApplicableRule } from '../../domain/role-rules.ts'
import {
  asGroupId,
  type GroupId,
  type MemberId,
  type TenantId,
  type UserId,
} from '../../domain/ids.ts'
import { BUILT_IN_ROLES, type Origin } from '../../domain/types.ts'
import type { MemberRoleFacts, RoleRuleRecord, RoleRuleRepository } from '../store.ts'
import { chunks } from './chunks.ts'
import type { SqlContext } from './context.ts'
import type { Database } from './tables.ts'

/** roleRank in SQL: Admin 3, Editor 2, Viewer 1, any other role 0. */
function rankOf(role: RawBuilder<unknown>): RawBuilder<number> {
  const whens = BUILT_IN_ROLES.map((r) => sql`when ${r} then ${sql.lit(roleRank(r))}`)
  return sql<number>`(case ${role} ${sql.join(whens, sql` `)} else 0 end)`
}

/**
 * The effective role of the tenant_users row being updated, whose own role is `ownRole`: the
 * highest rule of its direct groups that ranks above the own role, else the own role.
 */
export function effectiveRoleSql(ownRole: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`coalesce((
    select r.role from role_rules r
    inner join group_members m on m.tenant_id = r.tenant_id and m.group_id = r.group_id
    where m.tenant_id = tenant_users.tenant_id and m.member_id = tenant_users.user_id
      and ${rankOf(sql`r.role`)} > ${rankOf(ownRole)}
    order by ${rankOf(sql`r.role`)} desc
    limit 1
  ), ${ownRole})`
}

const STORED_OWN_ROLE = sql`tenant_users.assigned_role`

/** Whether the group has a rule (member changes of a group without one change no role). */
export async function hasRoleRule(
  db: Kysely<Database>,
  tenantId: TenantId,
  groupId: GroupId,
): Promise<boolean> {
  const row = await db
    .selectFrom('role_rules')
    .select('group_id')
    .where('tenant_id', '=', tenantId)
    .where('group_id', '=', groupId)
    .executeTakeFirst()
  return row !== undefined
}

/** Recomputes the roles of these members (ids that are not users are ignored), in chunks. */
export async function refreshRoles(
  db: Kysely<Database>,
  tenantId: TenantId,
  ids: readonly (UserId | MemberId)[],
): Promise<UserId[]> {
  const effective = effectiveRoleSql(STORED_OWN_ROLE)
  const changed: UserId[] = []
  for (const part of chunks([...new Set(ids)])) {
    if (part.length === 0) continue
    // RETURNING: the event log records one user.role_changed per user whose role moved.
    const rows = await db
      .updateTable('tenant_users')
      .set({ role: effective })
      .where('tenant_id', '=', tenantId)
      .where('user_id', 'in', part)
      .where(sql<boolean>`role <> ${effective}`)
      .returning('user_id')
      .execute()
    for (const row of rows) changed.push(row.user_id as UserId)
  }
  return changed
}

/**
 * Recomputes the roles of a group's user members after its rule giving `ruleRole` went away: one
 * UPDATE, however large the group. Only members whose role is `ruleRole` can change (a higher
 * role came from elsewhere, a lower one is impossible while the rule applied).
 */
export async function refreshGroupRoles(
  db: Kysely<Database>,
  tenantId: TenantId,
  groupId: GroupId,
  ruleRole: string,
): Promise<UserId[]> {
  const effective = effectiveRoleSql(STORED_OWN_ROLE)
  const rows = await db
    .updateTable('tenant_users')
    .set({ role: effective })
    .where('tenant_id', '=', tenantId)
    .where('role', '=', ruleRole)
    .where('user_id', 'in', groupMemberIds(tenantId, groupId))
    .returning(['user_id', 'role'])
    .execute()
  // Rows whose recomputed role is the one they had did not change.
  return rows.filter((r) => r.role !== ruleRole).map((r) => r.user_id as UserId)
}

/**
 * A new rule giving `ruleRole` to a group: each member's role becomes the higher of it and their
 * current (effective) role, so no other rule needs reading. One UPDATE, however large the group.
 */
export async function raiseGroupRoles(
  db: Kysely<Database>,
  tenantId: TenantId,
  groupId: GroupId,
  ruleRole: string,
): Promise<UserId[]> {
  const rows = await db
    .updateTable('tenant_users')
    .set({ role: ruleRole })
    .where('tenant_id', '=', tenantId)
    .where(sql<boolean>`${rankOf(sql`role`)} < ${sql.lit(roleRank(ruleRole))}`)
    .where('user_id', 'in', groupMemberIds(tenantId, groupId))
    .returning('user_id')
    .execute()
  return rows.map((r) => r.user_id as UserId)
}

function groupMemberIds(tenantId: TenantId, groupId: GroupId) {
  return (eb: ExpressionBuilder<Database, 'tenant_users'>) =>
    eb
      .selectFrom('group_members')
      .select('member_id')
      .where('tenant_id', '=', tenantId)
      .where('group_id', '=', groupId)
      .where('member_type', '=', 'User')
}

/** Deletes the group's rule and recomputes its members; false when it had none. */
export async function deleteRoleRule(
  db: Kysely<Database>,
  tenantId: TenantId,
  groupId: GroupId,
): Promise<UserId[] | undefined> {
  const deleted = await db
    .deleteFrom('role_rules')
    .where('tenant_id', '=', tenantId)
    .where('group_id', '=', groupId)
    .returning('role')
    .executeTakeFirst()
  if (!deleted) return undefined
  return refreshGroupRoles(db, tenantId, groupId, deleted.role)
}

/** The tenant's rules (or the one of `groupId`) with their groups' names and member counts. */
async function readRules(
  db: Kysely<Database>,
  tenantId: TenantId,
  groupId?: GroupId,
): Promise<RoleRuleRecord[]> {
  let query = db
    .selectFrom('role_rules as r')
    .innerJoin('groups as g', (join) =>
      join.onRef('g.tenant_id', '=', 'r.tenant_id').onRef('g.id', '=', 'r.group_id'),
    )
    .select((eb) => [
      'r.group_id',
      'r.role',
      'r.created_at',
      'g.display_name',
      'g.origin',
      eb
        .selectFrom('group_members as m')
        .select(eb.fn.countAll<number | string>().as('n'))
        .whereRef('m.tenant_id', '=', 'r.tenant_id')
        .whereRef('m.group_id', '=', 'r.group_id')
        .where('m.member_type', '=', 'User')
        .as('member_count'),
    ])
    .where('r.tenant_id', '=', tenantId)
  if (groupId !== undefined) query = query.where('r.group_id', '=', groupId)
  const rows = await query.orderBy('g.display_name_norm').orderBy('r.group_id').execute()
  return rows.map((row) => ({
    groupId: asGroupId(row.group_id),
    groupName: row.display_name,
    groupOrigin: row.origin as Origin,
    role: isRuleRole(row.role) ? row.role : 'Viewer',
    memberCount: Number(row.member_count ?? 0),
    createdAt: row.created_at,
  }))
}

export class SqlRoleRules implements RoleRuleRepository {
  constructor(
    private readonly ctx: SqlContext,
    private readonly tenantId: TenantId,
  ) {}

  list(): Promise<RoleRuleRecord[]> {
    return readRules(this.ctx.reader, this.tenantId)
  }

  async get(groupId: GroupId): Promise<RoleRuleRecord | undefined> {
    return (await readRules(this.ctx.reader, this.tenantId, groupId))[0]
  }

  async create(
    groupId: GroupId,
    role: RoleRuleRecord['role'],
    at: string,
    roleChanges?: UserId[],
  ): Promise<RoleRuleRecord | undefined> {
    const inserted = await this.ctx.db
      .insertInto('role_rules')
      .values({ tenant_id: this.tenantId, group_id: groupId, role, created_at: at })
      .onConflict((oc) => oc.columns(['tenant_id', 'group_id']).doNothing())
      .returning('group_id')
      .executeTakeFirst()
    if (!inserted) return undefined
    const changed = await raiseGroupRoles(this.ctx.db, this.tenantId, groupId, role)
    if (roleChanges) for (const id of changed) roleChanges.push(id)
    return (await readRules(this.ctx.db, this.tenantId, groupId))[0]
  }

  async delete(groupId: GroupId, roleChanges?: UserId[]): Promise<boolean> {
    const changed = await deleteRoleRule(this.ctx.db, this.tenantId, groupId)
    if (changed === undefined) return false
    if (roleChanges) for (const id of changed) roleChanges.push(id)
    return true
  }

  async factsOf(userId: UserId): Promise<MemberRoleFacts | undefined> {
    const member = await this.ctx.reader
      .selectFrom('tenant_users')
      .select(['role', 'assigned_role'])
      .where('tenant_id', '=', this.tenantId)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    if (!member) return undefined
    const rows = await this.ctx.reader
      .selectFrom('group_members as m')
      .innerJoin('role_rules as r', (join) =>
        join.onRef('r.tenant_id', '=', 'm.tenant_id').onRef('r.group_id', '=', 'm.group_id'),
      )
      .innerJoin('groups as g', (join) =>
        join.onRef('g.tenant_id', '=', 'm.tenant_id').onRef('g.id', '=', 'm.group_id'),
      )
      .select(['g.id', 'g.display_name', 'r.role'])
      .where('m.tenant_id', '=', this.tenantId)
      .where('m.member_id', '=', userId)
      .execute()
    const rules: ApplicableRule[] = []
    for (const row of rows) {
      if (isRuleRole(row.role))
        rules.push({ groupId: row.id, groupName: row.display_name, role: row.role })
    }
    return { role: member.role, assignedRole: member.assigned_role, rules }
  }
}
