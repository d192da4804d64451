// /api/tenants/:tenant/users — the tenant's users for an Admin of the tenant: a searchable,
// filtered list paged by cursor (fast however large the directory), invite an INTERNAL user (the
// answer carries their one-time set-password link), change the role (D8: SCIM users too),
// disable, enable and delete (refused for SCIM-controlled users with the reason, D8).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Config } from '../../../config.ts'
import {
  deleteUser,
  getUser,
  inviteUser,
  listUsers,
  MAX_USER_LIST_LIMIT,
  setUserActive,
  setUserRole,
  userView,
} from '../../../directory/users.ts'
import type { UserId } from '../../../domain/ids.ts'
import { BUILT_IN_ROLES, type Origin } from '../../../domain/types.ts'
import type { Store } from '../../../store/store.ts'
import { requireSession, tenantOf } from '../../plugins/tenant.ts'
import { tenantParams } from './params.ts'

export interface UserRouteDeps {
  readonly config: Config
  readonly store: Store
}

const reason = { type: 'string' } as const

/** An invitation of an INTERNAL user (the console's and the directory API's). */
export const inviteBodySchema = {
  type: 'object',
  properties: {
    email: { type: 'string', minLength: 3, maxLength: 320 },
    displayName: { type: 'string', maxLength: 200 },
    role: { type: 'string', enum: [...BUILT_IN_ROLES] },
  },
  required: ['email'],
  additionalProperties: false,
} as const

export const userSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    userName: { type: 'string' },
    email: { type: 'string' },
    displayName: { type: ['string', 'null'] },
    origin: { type: 'string', enum: ['INTERNAL', 'SCIM'] },
    role: { type: 'string' },
    active: { type: 'boolean' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    lastSignInAt: {
      type: ['string', 'null'],
      description: 'When a console session last started for the membership; null if never.',
    },
    refusals: {
      type: 'object',
      description:
        "Why each refused action is refused (D8, or the Admin's own account); an action not named is allowed.",
      properties: { disable: reason, enable: reason, delete: reason, role: reason },
    },
  },
} as const

const userParams = {
  type: 'object',
  properties: {
    tenant: { type: 'string', maxLength: 63 },
    id: { type: 'string', maxLength: 100 },
  },
  required: ['tenant', 'id'],
} as const

type UserParams = { Params: { tenant: string; id: string } }

/** The signed-in Admin (the tenant hook has checked the session). */
function actorOf(request: FastifyRequest): UserId {
  return requireSession(request.apiSession).userId
}

interface ListQuery {
  search?: string
  origin?: Origin
  role?: string
  status?: 'active' | 'disabled'
  cursor?: string
  limit: number
}

export function userRoutes(app: FastifyInstance, deps: UserRouteDeps): void {
  const { store, config } = deps

  app.get<{ Querystring: ListQuery }>(
    '/tenants/:tenant/users',
    {
      schema: {
        params: tenantParams,
        querystring: {
          type: 'object',
          properties: {
            search: { type: 'string', maxLength: 200 },
            origin: { type: 'string', enum: ['INTERNAL', 'SCIM'] },
            role: { type: 'string', maxLength: 100 },
            status: { type: 'string', enum: ['active', 'disabled'] },
            cursor: { type: 'string', maxLength: 100 },
            limit: { type: 'integer', minimum: 1, maximum: MAX_USER_LIST_LIMIT, default: 50 },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              items: { type: 'array', items: userSchema },
              total: { type: 'integer' },
              nextCursor: { type: ['string', 'null'] },
            },
          },
        },
      },
    },
    async (request) => listUsers(store, tenantOf(request), actorOf(request), request.query),
  )

  app.post<{ Body: { email: string; displayName?: string; role?: string } }>(
    '/tenants/:tenant/users',
    {
      schema: {
        params: tenantParams,
        body: inviteBodySchema,
        response: {
          201: {
            type: 'object',
            properties: {
              user: userSchema,
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
      const { email, displayName, role } = request.body
      const { user, setPasswordUrl } = await inviteUser(
        store,
        tenantOf(request),
        config.publicUrl,
        {
          email: email.trim(),
          role,
          displayName: displayName?.trim() || undefined,
        },
      )
      return reply.code(201).send({ user: userView(user, actorOf(request)), setPasswordUrl })
    },
  )

  app.get<UserParams>(
    '/tenants/:tenant/users/:id',
    { schema: { params: userParams, response: { 200: userSchema } } },
    async (request) =>
      userView(await getUser(store, tenantOf(request), request.params.id), actorOf(request)),
  )

  app.patch<UserParams & { Body: { role?: string; active?: boolean } }>(
    '/tenants/:tenant/users/:id',
    {
      schema: {
        params: userParams,
        body: {
          type: 'object',
          properties: {
            role: { type: 'string', enum: [...BUILT_IN_ROLES] },
            active: { type: 'boolean' },
          },
          minProperties: 1,
          additionalProperties: false,
        },
        response: { 200: userSchema },
      },
    },
    async (request) => {
      const tenant = tenantOf(request)
      const actor = actorOf(request)
      const { role, active } = request.body
      // The refusable change first: a refused disable changes nothing.
      let user = await getUser(store, tenant, request.params.id)
      if (active !== undefined) user = await setUserActive(store, tenant, actor, user.id, active)
      if (role !== undefined) user = await setUserRole(store, tenant, actor, user.id, role)
      return userView(user, actor)
    },
  )

  app.delete<UserParams>(
    '/tenants/:tenant/users/:id',
    { schema: { params: userParams, response: { 204: { type: 'null' } } } },
    async (request, reply) => {
      const actor = actorOf(request)
      await deleteUser(store, tenantOf(request), actor, request.params.id)
      return reply.code(204).send()
    },
  )
}
