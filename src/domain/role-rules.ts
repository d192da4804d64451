// Group → role rules (SPEC §1 D3, D4; §5 Roles): "members of group X get role R". A member's
// effective role is the highest of their own role (set by an admin, or the default Viewer) and the
// roles of the rules of the groups they are a direct member of. The store keeps the effective role
// in one SQL expression that follows this function (src/store/sql/role-rules.ts).
import { BUILT_IN_ROLES, DEFAULT_SCIM_ROLE, type Role } from './types.ts'

/** A role a rule may give: one of the built-in roles. */
export type RuleRole = (typeof BUILT_IN_ROLES)[number]

export function isRuleRole(role: string): role is RuleRole {
  return (BUILT_IN_ROLES as readonly string[]).includes(role)
}

/**
 * The order of roles: Admin 3 > Editor 2 > Viewer 1. A role a tenant added (not built in) ranks 0,
 * below Viewer, so a rule always lifts such a member to the rule's role.
 */
export function roleRank(role: Role): number {
  const index = (BUILT_IN_ROLES as readonly string[]).indexOf(role)
  return index < 0 ? 0 : BUILT_IN_ROLES.length - index
}

/** A rule that applies to a member: the group they are a direct member of, and its role. */
export interface ApplicableRule {
  readonly groupId: string
  readonly groupName: string
  readonly role: RuleRole
}

/** Where a member's effective role comes from. */
export type RoleSource =
  | { readonly kind: 'group'; readonly groupId: string; readonly groupName: string }
  /** Their own role, set by an admin (console, API or CLI). */
  | { readonly kind: 'admin' }
  /** Their own role is the default (D4: Viewer) and no rule gives more. */
  | { readonly kind: 'default' }

export interface EffectiveRole {
  readonly role: Role
  readonly source: RoleSource
}

/**
 * The effective role of a member whose own role is `ownRole`, with `rules` the rules of their
 * direct groups. The highest wins; a rule only counts when it gives more than the member's own
 * role (so an Admin stays Admin in a group mapped to Viewer, and an equal rule leaves the role "set
 * by an admin"). Ties between groups go to the group name that sorts first, so the source shown
 * is stable.
 */
export function effectiveRole(ownRole: Role, rules: readonly ApplicableRule[]): EffectiveRole {
  let best: ApplicableRule | undefined
  for (const rule of rules) {
    if (roleRank(rule.role) <= roleRank(ownRole)) continue
    if (
      !best ||
      roleRank(rule.role) > roleRank(best.role) ||
      (roleRank(rule.role) === roleRank(best.role) &&
        rule.groupName.localeCompare(best.groupName) < 0)
    ) {
      best = rule
    }
  }
  if (best) {
    return {
      role: best.role,
      source: { kind: 'group', groupId: best.groupId, groupName: best.groupName },
    }
  }
  return { role: ownRole, source: { kind: ownRole === DEFAULT_SCIM_ROLE ? 'default' : 'admin' } }
}

/** "Editor, via group Engineering", "Admin, set by an admin", "Viewer, the default role". */
export function describeRole({ role, source }: EffectiveRole): string {
  switch (source.kind) {
    case 'group':
      return `${role}, via group ${source.groupName}`
    case 'admin':
      return `${role}, set by an admin`
    case 'default':
      return `${role}, the default role`
  }
}
