// /api/v1/tenants/{tenant}/groups — the directory's groups: list (cursor, SCIM filter), one, its
// members (paged); with a write key: create, rename and delete INTERNAL groups, add and remove
// INTERNAL members (of SCIM groups too, G4). SCIM-owned changes are refused with the reason.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { groupMembers, listDirectoryGroups } from '../../../directory/directory-api.ts'
import {
  addInternalMember,
  createGroup,
  getGroup,
  removeInternalMember,
} from '../../../directory/groups.ts'
import { deleteGroup, renameGroup } from '../../../directory/internal-changes.ts'
import { directoryGroupOf } from '../../../directory/views.ts'
import { keyTenantOf } from '../../plugins/api-key-auth.ts'
import type { V1RouteDeps } from './index.ts'
import {
  directoryGroupSchema,
  filteredPageQuery,
  idParams,
  memberSchema,
  pageQuery,
  pageSchema,
  tenantParams,
  type IdParams,
  type PageQuery,
  type TenantParams,
} from './schemas.ts'

const nameBody = {
  type: 'object',
  properties: { displayName: { type: 'string', minLength: 1, maxLength: 200 } },
  required: ['displayName'],
  additionalProperties: false,
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

export function groupRoutes(app: FastifyInstance, deps: V1RouteDeps): void {
  const { store, config } = deps
  const tenantOf = (request: FastifyRequest & { params: { tenant: string } }) =>
    keyTenantOf(store, request)

  app.get<TenantParams & { Querystring: PageQuery }>(
    '/tenants/:tenant/groups',
    {
      schema: {
        summary: "The tenant's groups, by cursor, optionally filtered",
        params: tenantParams,
        querystring: filteredPageQuery,
        response: { 200: pageSchema(directoryGroupSchema) },
      },
    },
    async (request) =>
      listDirectoryGroups(
        store,
        await tenantOf(request),
        request.query,
        config.scim.maxFilterLength,
      ),
  )

  app.get<IdParams>(
    '/tenants/:tenant/groups/:id',
    { schema: { summary: 'A group', params: idParams, response: { 200: directoryGroupSchema } } },
    async (request) =>
      directoryGroupOf(await getGroup(store, await tenantOf(request), request.params.id)),
  )

  app.get<IdParams & { Querystring: { after?: string; limit: number } }>(
    '/tenants/:tenant/groups/:id/members',
    {
      schema: {
        summary: "A group's members, by cursor, with who controls each membership",
        params: idParams,
        querystring: { type: 'object', properties: pageQuery, additionalProperties: false },
        response: { 200: pageSchema(memberSchema) },
      },
    },
    async (request) =>
      groupMembers(store, await tenantOf(request), request.params.id, request.query),
  )

  app.post<TenantParams & { Body: { displayName: string } }>(
    '/tenants/:tenant/groups',
    {
      schema: {
        summary: 'Create an INTERNAL group (write)',
        params: tenantParams,
        body: nameBody,
        response: { 201: directoryGroupSchema },
      },
    },
    async (request, reply) => {
      const group = await createGroup(store, await tenantOf(request), request.body.displayName)
      return reply.code(201).send(directoryGroupOf(group))
    },
  )

  app.patch<IdParams & { Body: { displayName: string } }>(
    '/tenants/:tenant/groups/:id',
    {
      schema: {
        summary: 'Rename an INTERNAL group (write)',
        params: idParams,
        body: nameBody,
        response: { 200: directoryGroupSchema },
      },
    },
    async (request) =>
      directoryGroupOf(
        await renameGroup(
          store,
          await tenantOf(request),
          request.params.id,
          request.body.displayName,
        ),
      ),
  )

  app.delete<IdParams>(
    '/tenants/:tenant/groups/:id',
    {
      schema: {
        summary: 'Delete an INTERNAL group (write)',
        params: idParams,
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      await deleteGroup(store, await tenantOf(request), request.params.id)
      return reply.code(204).send()
    },
  )

  app.post<IdParams & { Body: { userId: string } }>(
    '/tenants/:tenant/groups/:id/members',
    {
      schema: {
        summary: 'Add a user as an INTERNAL member, also of a SCIM group (write)',
        params: idParams,
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
      await addInternalMember(
        store,
        await tenantOf(request),
        request.params.id,
        request.body.userId,
      )
      return reply.code(204).send()
    },
  )

  app.delete<{ Params: { tenant: string; id: string; memberId: string } }>(
    '/tenants/:tenant/groups/:id/members/:memberId',
    {
      schema: {
        summary: 'Remove an INTERNAL member (SCIM members are the IdP’s) (write)',
        params: memberParams,
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      const { id, memberId } = request.params
      await removeInternalMember(store, await tenantOf(request), id, memberId)
      return reply.code(204).send()
    },
  )
}
