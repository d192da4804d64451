// Group → role rules of one tenant (SPEC §1 D4, §5 Roles): "members of group X get role R", at
// most one rule per group. The store keeps every member's effective role (tenant_users.role) equal
// to domain/role-rules.ts effectiveRole of their own role and the rules of their direct groups:
// rule changes here, member changes (members.ts), group deletes (groups.ts) and role changes
// (users.setRole) recompute the members they touch, in the caller's transaction.
import type { ApplicableRule, RuleRole } from '../../domain/role-rules.ts'
import type { GroupId, UserId } from '../../domain/ids.ts'
import type { Origin } from '../../domain/types.ts'

export interface RoleRuleRecord {
  readonly groupId: GroupId
  readonly groupName: string
  readonly groupOrigin: Origin
  readonly role: RuleRole
  /** Users who are direct members of the group. */
  readonly memberCount: number
  readonly createdAt: string
}

/** What decides a member's role: their own role and the rules of their direct groups. */
export interface MemberRoleFacts {
  readonly role: string
  readonly assignedRole: string
  readonly rules: readonly ApplicableRule[]
}

export interface RoleRuleRepository {
  /** Every rule of the tenant, by group name. */
  list(): Promise<RoleRuleRecord[]>
  get(groupId: GroupId): Promise<RoleRuleRecord | undefined>
  /**
   * Adds the rule of an existing group of this tenant and recomputes the roles of the group's
   * members in one set-based UPDATE. Returns undefined when the group already has a rule (nothing
   * changes); the caller checks that the group exists. The users whose effective role changed
   * are pushed onto `roleChanges` when given (the event log records each).
   */
  create(
    groupId: GroupId,
    role: RuleRole,
    at: string,
    roleChanges?: UserId[],
  ): Promise<RoleRuleRecord | undefined>
  /**
   * Removes the group's rule and recomputes its members' roles (one UPDATE); false if none.
   * The users whose effective role changed are pushed onto `roleChanges` when given.
   */
  delete(groupId: GroupId, roleChanges?: UserId[]): Promise<boolean>
  /** The facts behind a member's role, or undefined when the user is not a member here. */
  factsOf(userId: UserId): Promise<MemberRoleFacts | undefined>
}
