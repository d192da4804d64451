// Group → role rules (SPEC §5 Roles): /api/tenants/:tenant/role-rules, and a member's role with
// its source (/role-lookup, /users/:id/role).
import { request, tenantPath } from './client.ts'

export const RULE_ROLES = ['Admin', 'Editor', 'Viewer'] as const
export type RuleRole = (typeof RULE_ROLES)[number]

/** GET /api/tenants/:tenant/role-rules */
export interface RoleRuleView {
  readonly groupId: string
  readonly groupName: string
  readonly groupOrigin: 'INTERNAL' | 'SCIM'
  readonly role: RuleRole
  readonly memberCount: number
  readonly createdAt: string
}

/** GET /api/tenants/:tenant/role-rules/groups */
export interface GroupOption {
  readonly id: string
  readonly displayName: string
  readonly origin: string
}

/** GET /api/tenants/:tenant/users/:id/role and /role-lookup */
export interface RoleWithSourceView {
  readonly userId: string
  readonly userName?: string
  readonly role: string
  readonly assignedRole: string
  readonly source: {
    readonly kind: 'group' | 'admin' | 'default'
    readonly groupId?: string
    readonly groupName?: string
  }
  /** "Editor, via group Engineering" */
  readonly description: string
}

export const listRoleRules = (tenant: string) =>
  request<RoleRuleView[]>('GET', tenantPath(tenant, 'role-rules'))

export const createRoleRule = (tenant: string, groupId: string, role: RuleRole) =>
  request<RoleRuleView>('POST', tenantPath(tenant, 'role-rules'), { groupId, role })

export const deleteRoleRule = (tenant: string, groupId: string) =>
  request<void>('DELETE', tenantPath(tenant, 'role-rules', groupId))

export const findGroups = (tenant: string, search: string) =>
  request<GroupOption[]>(
    'GET',
    `${tenantPath(tenant, 'role-rules', 'groups')}?search=${encodeURIComponent(search)}`,
  )

export const lookUpRole = (tenant: string, userName: string) =>
  request<RoleWithSourceView>(
    'GET',
    `${tenantPath(tenant, 'role-lookup')}?userName=${encodeURIComponent(userName)}`,
  )
