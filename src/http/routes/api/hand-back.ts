// /api/tenants/:tenant/hand-back — release SCIM-controlled users, groups and memberships to
// INTERNAL once the tenant has disabled SCIM (issue #9): GET previews (counts and samples), POST
// does it (?dryRun=true only counts). Refused (409) while a SCIM token is valid.
import type { FastifyInstance } from 'fastify'
import { handBack, previewHandBack } from '../../../directory/hand-back.ts'
import type { Store } from '../../../store/store.ts'
import { tenantOf } from '../../plugins/tenant.ts'
import { tenantParams } from './params.ts'

export interface HandBackRouteDeps {
  readonly store: Store
}

const countsSchema = {
  type: 'object',
  properties: {
    users: { type: 'integer' },
    groups: { type: 'integer' },
    memberships: { type: 'integer' },
  },
  required: ['users', 'groups', 'memberships'],
} as const

const previewSchema = {
  type: 'object',
  properties: {
    scimEnabled: { type: 'boolean' },
    users: {
      type: 'object',
      properties: {
        count: { type: 'integer' },
        sample: {
          type: 'array',
          items: {
            type: 'object',
            properties: { id: { type: 'string' }, userName: { type: 'string' } },
            required: ['id', 'userName'],
          },
        },
      },
      required: ['count', 'sample'],
    },
    groups: {
      type: 'object',
      properties: {
        count: { type: 'integer' },
        sample: {
          type: 'array',
          items: {
            type: 'object',
            properties: { id: { type: 'string' }, displayName: { type: 'string' } },
            required: ['id', 'displayName'],
          },
        },
      },
      required: ['count', 'sample'],
    },
    memberships: {
      type: 'object',
      properties: { count: { type: 'integer' } },
      required: ['count'],
    },
  },
  required: ['scimEnabled', 'users', 'groups', 'memberships'],
} as const

export function handBackRoutes(app: FastifyInstance, deps: HandBackRouteDeps): void {
  const { store } = deps

  app.get(
    '/tenants/:tenant/hand-back',
    { schema: { params: tenantParams, response: { 200: previewSchema } } },
    async (request) => previewHandBack(store, tenantOf(request)),
  )

  app.post<{ Querystring: { dryRun?: boolean } }>(
    '/tenants/:tenant/hand-back',
    {
      schema: {
        params: tenantParams,
        querystring: {
          type: 'object',
          properties: { dryRun: { type: 'boolean' } },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { dryRun: { type: 'boolean' }, changes: countsSchema },
            required: ['dryRun', 'changes'],
          },
        },
      },
    },
    async (request) => {
      const tenant = tenantOf(request)
      if (request.query.dryRun) {
        const preview = await previewHandBack(store, tenant)
        return {
          dryRun: true,
          changes: {
            users: preview.users.count,
            groups: preview.groups.count,
            memberships: preview.memberships.count,
          },
        }
      }
      const by = request.apiSession?.userName
      const changes = await handBack(store, tenant, by ? { by } : {})
      return { dryRun: false, changes }
    },
  )
}
