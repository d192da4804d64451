// /api/tenants/:tenant/role-rules — group → role rules (SPEC §5 Roles) for an Admin of the tenant:
// list, create, delete, the groups to pick from; and a member's role with its source
// (/users/:id/role, /role-lookup?userName=), e.g. "Editor, via group Engineering".
import type { FastifyInstance } from 'fastify'
import { describeRole } from '../../../domain/role-rules.ts'
import { BUILT_IN_ROLES } from '../../../domain/types.ts'
import {
  createRoleRule,
  deleteRoleRule,
  findGroupsForRules,
  listRoleRules,
  roleWithSource,
  roleWithSourceByUserName,
  type RoleWithSource,
} from '../../../directory/role-rules.ts'
import type { RoleRuleRecord, Store } from '../../../store/store.ts'
import { tenantOf } from '../../plugins/tenant.ts'
import { tenantParams } from './params.ts'

export interface RoleRouteDeps {
  readonly store: Store
}

const ruleSchema = {
  type: 'object',
  properties: {
    groupId: { type: 'string' },
    groupName: { type: 'string' },
    groupOrigin: { type: 'string', enum: ['INTERNAL', 'SCIM'] },
    role: { type: 'string', enum: BUILT_IN_ROLES },
    memberCount: { type: 'integer' },
    createdAt: { type: 'string' },
  },
  required: ['groupId', 'groupName', 'groupOrigin', 'role', 'memberCount', 'createdAt'],
} as const

const roleSchema = {
  type: 'object',
  properties: {
    userId: { type: 'string' },
    userName: { type: 'string' },
    role: { type: 'string' },
    assignedRole: { type: 'string' },
    source: {
      type: 'object',
      properties: {
        kind: { type: 'string', enum: ['group', 'admin', 'default'] },
        groupId: { type: 'string' },
        groupName: { type: 'string' },
      },
      required: ['kind'],
    },
    description: { type: 'string' },
  },
  required: ['userId', 'role', 'assignedRole', 'source', 'description'],
} as const

const ruleView = (rule: RoleRuleRecord) => rule
const roleView = (role: RoleWithSource & { userName?: string }) => ({
  ...role,
  description: describeRole(role),
})

const idParams = (name: string) =>
  ({
    type: 'object',
    properties: {
      tenant: { type: 'string', maxLength: 63 },
      [name]: { type: 'string', maxLength: 64 },
    },
    required: ['tenant', name],
  }) as const

export function roleRoutes(app: FastifyInstance, deps: RoleRouteDeps): void {
  const { store } = deps

  app.get(
    '/tenants/:tenant/role-rules',
    { schema: { params: tenantParams, response: { 200: { type: 'array', items: ruleSchema } } } },
    async (request) => (await listRoleRules(store, tenantOf(request))).map(ruleView),
  )

  app.post<{ Body: { groupId: string; role: string } }>(
    '/tenants/:tenant/role-rules',
    {
      schema: {
        params: tenantParams,
        body: {
          type: 'object',
          properties: {
            groupId: { type: 'string', minLength: 1, maxLength: 64 },
            role: { type: 'string', enum: BUILT_IN_ROLES },
          },
          required: ['groupId', 'role'],
          additionalProperties: false,
        },
        response: { 201: ruleSchema },
      },
    },
    async (request, reply) => {
      const rule = await createRoleRule(store, tenantOf(request), request.body)
      return reply.code(201).send(ruleView(rule))
    },
  )

  app.delete<{ Params: { tenant: string; groupId: string } }>(
    '/tenants/:tenant/role-rules/:groupId',
    { schema: { params: idParams('groupId'), response: { 204: { type: 'null' } } } },
    async (request, reply) => {
      await deleteRoleRule(store, tenantOf(request), request.params.groupId)
      return reply.code(204).send()
    },
  )

  app.get<{ Querystring: { search?: string } }>(
    '/tenants/:tenant/role-rules/groups',
    {
      schema: {
        params: tenantParams,
        querystring: {
          type: 'object',
          properties: { search: { type: 'string', maxLength: 200 } },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: { type: 'string' },
                displayName: { type: 'string' },
                origin: { type: 'string' },
              },
              required: ['id', 'displayName', 'origin'],
            },
          },
        },
      },
    },
    async (request) => findGroupsForRules(store, tenantOf(request), request.query.search ?? ''),
  )

  app.get<{ Params: { tenant: string; id: string } }>(
    '/tenants/:tenant/users/:id/role',
    { schema: { params: idParams('id'), response: { 200: roleSchema } } },
    async (request) => roleView(await roleWithSource(store, tenantOf(request), request.params.id)),
  )

  app.get<{ Querystring: { userName: string } }>(
    '/tenants/:tenant/role-lookup',
    {
      schema: {
        params: tenantParams,
        querystring: {
          type: 'object',
          properties: { userName: { type: 'string', minLength: 1, maxLength: 320 } },
          required: ['userName'],
          additionalProperties: false,
        },
        response: { 200: roleSchema },
      },
    },
    async (request) =>
      roleView(
        await roleWithSourceByUserName(store, tenantOf(request), request.query.userName.trim()),
      ),
  )
}
