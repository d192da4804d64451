// /api/v1/tenants/{tenant}/users — the directory's users: list (cursor, SCIM filter), one with its
// groups, its groups; and with a write key: invite an INTERNAL user, change names and active
// (INTERNAL users), the role (any user, D8), delete (INTERNAL users). The rules are the console's
// (directory/users.ts); an API key is nobody's own account.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import {
  directoryUserWithGroups,
  groupsOfUser,
  listDirectoryUsers,
} from '../../../directory/directory-api.ts'
import { updateUserNames } from '../../../directory/internal-changes.ts'
import {
  deleteUser,
  getUser,
  inviteUser,
  setUserActive,
  setUserRole,
} from '../../../directory/users.ts'
import { directoryUserOf } from '../../../directory/views.ts'
import { BUILT_IN_ROLES } from '../../../domain/types.ts'
import { keyTenantOf } from '../../plugins/api-key-auth.ts'
import type { V1RouteDeps } from './index.ts'
import { inviteBodySchema } from '../api/users.ts'
import {
  directoryUserSchema,
  filteredPageQuery,
  groupReferenceSchema,
  idParams,
  pageSchema,
  tenantParams,
  type IdParams,
  type PageQuery,
  type TenantParams,
} from './schemas.ts'

const nameField = { type: ['string', 'null'], maxLength: 200 } as const

interface UserChange {
  displayName?: string | null
  givenName?: string | null
  familyName?: string | null
  active?: boolean
  role?: string
}

export function userRoutes(app: FastifyInstance, deps: V1RouteDeps): void {
  const { store, config } = deps
  const tenantOf = (request: FastifyRequest & { params: { tenant: string } }) =>
    keyTenantOf(store, request)

  app.get<TenantParams & { Querystring: PageQuery }>(
    '/tenants/:tenant/users',
    {
      schema: {
        summary: "The tenant's users, by cursor, optionally filtered",
        params: tenantParams,
        querystring: filteredPageQuery,
        response: { 200: pageSchema(directoryUserSchema) },
      },
    },
    async (request) =>
      listDirectoryUsers(
        store,
        await tenantOf(request),
        request.query,
        config.scim.maxFilterLength,
      ),
  )

  app.get<IdParams>(
    '/tenants/:tenant/users/:id',
    {
      schema: {
        summary: 'A user, with their effective role and direct groups',
        params: idParams,
        response: {
          200: {
            type: 'object',
            properties: {
              ...directoryUserSchema.properties,
              groups: { type: 'array', items: groupReferenceSchema },
            },
          },
        },
      },
    },
    async (request) => directoryUserWithGroups(store, await tenantOf(request), request.params.id),
  )

  app.get<IdParams>(
    '/tenants/:tenant/users/:id/groups',
    {
      schema: {
        summary: 'The groups a user is a direct member of',
        params: idParams,
        response: {
          200: {
            type: 'object',
            properties: { data: { type: 'array', items: groupReferenceSchema } },
          },
        },
      },
    },
    async (request) => ({
      data: await groupsOfUser(store, await tenantOf(request), request.params.id),
    }),
  )

  app.post<TenantParams & { Body: { email: string; displayName?: string; role?: string } }>(
    '/tenants/:tenant/users',
    {
      schema: {
        summary: 'Invite an INTERNAL user (write)',
        params: tenantParams,
        body: inviteBodySchema,
        response: {
          201: {
            type: 'object',
            properties: {
              user: directoryUserSchema,
              setPasswordUrl: {
                type: 'string',
                description: 'One-time link to choose a password, valid 24 hours; shown once.',
              },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const tenant = await tenantOf(request)
      const { email, displayName, role } = request.body
      const { user, setPasswordUrl } = await inviteUser(store, tenant, config.publicUrl, {
        email: email.trim(),
        role,
        displayName: displayName?.trim() || undefined,
      })
      return reply.code(201).send({ user: directoryUserOf(user), setPasswordUrl })
    },
  )

  app.patch<IdParams & { Body: UserChange }>(
    '/tenants/:tenant/users/:id',
    {
      schema: {
        summary: "Change a user's names or active (INTERNAL users), or role (any user) (write)",
        params: idParams,
        body: {
          type: 'object',
          properties: {
            displayName: nameField,
            givenName: nameField,
            familyName: nameField,
            active: { type: 'boolean' },
            role: { type: 'string', enum: [...BUILT_IN_ROLES] },
          },
          minProperties: 1,
          additionalProperties: false,
        },
        response: { 200: directoryUserSchema },
      },
    },
    async (request) => {
      const tenant = await tenantOf(request)
      const { displayName, givenName, familyName, active, role } = request.body
      let user = await getUser(store, tenant, request.params.id)
      // The refusable changes first: a refused one changes nothing.
      if (displayName !== undefined || givenName !== undefined || familyName !== undefined) {
        user = await updateUserNames(store, tenant, user.id, { displayName, givenName, familyName })
      }
      if (active !== undefined)
        user = await setUserActive(store, tenant, undefined, user.id, active)
      if (role !== undefined) user = await setUserRole(store, tenant, undefined, user.id, role)
      return directoryUserOf(user)
    },
  )

  app.delete<IdParams>(
    '/tenants/:tenant/users/:id',
    {
      schema: {
        summary: 'Delete an INTERNAL user (write)',
        params: idParams,
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      await deleteUser(store, await tenantOf(request), undefined, request.params.id)
      return reply.code(204).send()
    },
  )
}
