// /api/tenants/:tenant/groups — the tenant's groups for an Admin of the tenant: list, show with
// members and the origin of each, create INTERNAL groups, add INTERNAL members (also to SCIM
// groups, G4) and remove them; a SCIM member is refused with the reason.
import type { FastifyInstance } from 'fastify'
import {
  addInternalMember,
  createGroup,
  groupView,
  groupWithMembers,
  listGroups,
  MAX_GROUP_LIST_LIMIT,
  MAX_MEMBER_PAGE_LIMIT,
  memberView,
  removeInternalMember,
} from '../../../directory/groups.ts'
import type { Store } from '../../../store/store.ts'
import { tenantOf } from '../../plugins/tenant.ts'
import { tenantParams } from './params.ts'

export interface GroupRouteDeps {
  readonly store: Store
}

const groupProperties = {
  id: { type: 'string' },
  displayName: { type: 'string' },
  externalId: { type: ['string', 'null'] },
  origin: { type: 'string', enum: ['INTERNAL', 'SCIM'] },
  createdAt: { type: 'string' },
  updatedAt: { type: 'string' },
} as const

export const groupSchema = { type: 'object', properties: groupProperties } as const

export const memberSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    type: { type: 'string', enum: ['User', 'Group'] },
    display: { type: ['string', 'null'] },
    origin: { type: 'string', enum: ['INTERNAL', 'SCIM'] },
    removalRefusal: {
      type: 'string',
      description: 'Why an admin may not remove this member (G4); absent when they may.',
    },
  },
} as const

const groupParams = {
  type: 'object',
  properties: {
    tenant: { type: 'string', maxLength: 63 },
    id: { type: 'string', maxLength: 100 },
  },
  required: ['tenant', 'id'],
} as const

const memberParams = {
  type: 'object',
  properties: {
    tenant: { type: 'string', maxLength: 63 },
    id: { type: 'string', maxLength: 100 },
    memberId: { type: 'string', maxLength: 100 },
  },
  required: ['tenant', 'id', 'memberId'],
} as const

type GroupParams = { Params: { tenant: string; id: string } }

export function groupRoutes(app: FastifyInstance, deps: GroupRouteDeps): void {
  const { store } = deps

  app.get<{ Querystring: { search?: string; page: number; limit: number } }>(
    '/tenants/:tenant/groups',
    {
      schema: {
        params: tenantParams,
        querystring: {
          type: 'object',
          properties: {
            search: { type: 'string', maxLength: 200 },
            page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
            limit: { type: 'integer', minimum: 1, maximum: MAX_GROUP_LIST_LIMIT, default: 50 },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              items: { type: 'array', items: groupSchema },
              total: { type: 'integer' },
            },
          },
        },
      },
    },
    async (request) => listGroups(store, tenantOf(request), request.query),
  )

  app.post<{ Body: { displayName: string } }>(
    '/tenants/:tenant/groups',
    {
      schema: {
        params: tenantParams,
        body: {
          type: 'object',
          properties: { displayName: { type: 'string', minLength: 1, maxLength: 200 } },
          required: ['displayName'],
          additionalProperties: false,
        },
        response: { 201: groupSchema },
      },
    },
    async (request, reply) => {
      const group = await createGroup(store, tenantOf(request), request.body.displayName)
      return reply.code(201).send(groupView(group))
    },
  )

  app.get<GroupParams & { Querystring: { cursor?: string; limit: number } }>(
    '/tenants/:tenant/groups/:id',
    {
      schema: {
        params: groupParams,
        querystring: {
          type: 'object',
          properties: {
            cursor: {
              type: 'string',
              maxLength: 100,
              description: 'The nextCursor of the previous page; absent for the first page.',
            },
            limit: { type: 'integer', minimum: 1, maximum: MAX_MEMBER_PAGE_LIMIT, default: 50 },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              ...groupProperties,
              members: {
                type: 'array',
                items: memberSchema,
                description: 'One page of the members, in member id order.',
              },
              membersTotal: { type: 'integer', description: 'How many members the group has.' },
              nextCursor: {
                type: ['string', 'null'],
                description: 'The cursor of the next page of members; null on the last page.',
              },
            },
          },
        },
      },
    },
    async (request) => {
      const { group, members, total, nextCursor } = await groupWithMembers(
        store,
        tenantOf(request),
        request.params.id,
        request.query,
      )
      return {
        ...groupView(group),
        members: members.map(memberView),
        membersTotal: total,
        nextCursor,
      }
    },
  )

  app.post<GroupParams & { Body: { userId: string } }>(
    '/tenants/:tenant/groups/:id/members',
    {
      schema: {
        params: groupParams,
        body: {
          type: 'object',
          properties: { userId: { type: 'string', minLength: 1, maxLength: 100 } },
          required: ['userId'],
          additionalProperties: false,
        },
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      await addInternalMember(store, tenantOf(request), request.params.id, request.body.userId)
      return reply.code(204).send()
    },
  )

  app.delete<{ Params: { tenant: string; id: string; memberId: string } }>(
    '/tenants/:tenant/groups/:id/members/:memberId',
    { schema: { params: memberParams, response: { 204: { type: 'null' } } } },
    async (request, reply) => {
      const { id, memberId } = request.params
      await removeInternalMember(store, tenantOf(request), id, memberId)
      return reply.code(204).send()
    },
  )
}
