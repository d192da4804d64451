// The admin API scope: /api. JSON only (every state-changing request says Content-Type:
// application/json, bodiless ones too: CSRF), one error handler ({ error: { status, code,
// detail } }), the same-origin check on state-changing requests (see plugins/web-session.ts), and
// the session of the cookie, re-checked against the database on every request. Tenant routes
// need an Admin session of that tenant.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../../config.ts'
import type { SecretBox } from '../../../credentials/secret-box.ts'
import type { Tenant } from '../../../domain/types.ts'
import { endSession, SESSION_COOKIE } from '../../../sessions/sessions.ts'
import type { OidcClients } from '../../../sso/clients.ts'
import { describeOidcError, fixFor } from '../../../sso/callback.ts'
import {
  connectionView,
  createConnection,
  deleteConnection,
  editConnection,
  getConnection,
  redirectUriOf,
} from '../../../sso/connections.ts'
import { startAuthorization } from '../../../sso/login.ts'
import { dnsTxtResolver } from '../../../directory/dns-resolver.ts'
import type { TxtResolver } from '../../../directory/domains.ts'
import { domainRoutes } from './domains.ts'
import type { SessionView, Store } from '../../../store/store.ts'
import { ApiError, registerApiErrorHandler, sendApiError } from '../../plugins/api-errors.ts'
import {
  clearSessionCookie,
  crossSiteReason,
  nonJsonReason,
  sessionOf,
  ssoBinding,
} from '../../plugins/web-session.ts'
import { tenantParams } from './params.ts'

export interface ApiDeps {
  readonly config: Config
  readonly store: Store
  readonly secretBox: SecretBox
  readonly clients: OidcClients
  /** DNS TXT lookups of domain verification; defaults to node:dns as configured. */
  readonly resolveTxt?: TxtResolver
}

const connectionSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    issuer: { type: 'string' },
    clientId: { type: 'string' },
    domain: { type: 'string' },
    status: { type: 'string', enum: ['draft', 'verified'] },
    verifiedAt: { type: ['string', 'null'] },
    jitEnabled: { type: 'boolean' },
    emailClaims: { type: 'array', items: { type: 'string' } },
    loginUrl: { type: 'string' },
    redirectUri: { type: 'string' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        status: { type: 'integer' },
        code: { type: 'string' },
        detail: { type: 'string' },
      },
    },
  },
} as const

const connectionInputProperties = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  issuer: { type: 'string', minLength: 1, maxLength: 2000 },
  clientId: { type: 'string', minLength: 1, maxLength: 500 },
  clientSecret: { type: 'string', minLength: 1, maxLength: 2000 },
  domain: { type: 'string', minLength: 1, maxLength: 253 },
  jitEnabled: { type: 'boolean' },
  emailClaims: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 10 },
} as const

const connectionParams = {
  type: 'object',
  properties: { tenant: { type: 'string', maxLength: 63 }, id: { type: 'string', maxLength: 64 } },
  required: ['tenant', 'id'],
} as const

interface ConnectionBody {
  name?: string
  issuer?: string
  clientId?: string
  clientSecret?: string
  domain?: string
  jitEnabled?: boolean
  emailClaims?: string[]
}

declare module 'fastify' {
  interface FastifyRequest {
    apiSession: SessionView | undefined
  }
}

export async function apiRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { config, store, secretBox } = deps
  registerApiErrorHandler(app)
  app.decorateRequest('apiSession', undefined)

  // JSON is the only body; an empty one is accepted, as a bodiless POST or DELETE must still say
  // Content-Type: application/json (below).
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8')
    if (text === '') return done(null, undefined)
    return parseJson(request, text, done)
  })

  app.addHook('onRequest', async (request, reply) => {
    const refused = crossSiteReason(request, config.publicUrl)
    if (refused) return sendApiError(reply, new ApiError(403, 'cross_site_request', refused))
    const notJson = nonJsonReason(request)
    if (notJson) return sendApiError(reply, new ApiError(415, 'unsupported_media_type', notJson))
    request.apiSession = await sessionOf(request, config, store)
    return undefined
  })

  const requireSession = (request: FastifyRequest): SessionView => {
    if (!request.apiSession) throw ApiError.unauthorized()
    return request.apiSession
  }

  /** The tenant of the URL, for an Admin signed in to that very tenant. */
  const adminTenant = async (request: FastifyRequest): Promise<Tenant> => {
    const session = requireSession(request)
    const slug = (request.params as { tenant: string }).tenant
    if (session.tenantSlug !== slug) {
      throw ApiError.forbidden(
        `You are signed in to another tenant; sign in to "${slug}" to manage it.`,
      )
    }
    if (session.role !== 'Admin')
      throw ApiError.forbidden('Only an Admin of this tenant may do this.')
    const tenant = await store.tenants.getById(session.tenantId)
    if (!tenant) throw ApiError.unauthorized()
    return tenant
  }

  domainRoutes(app, {
    store,
    adminTenant,
    resolveTxt: deps.resolveTxt ?? dnsTxtResolver(config.domainVerification),
  })

  app.get(
    '/session',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            properties: {
              email: { type: 'string' },
              tenant: { type: 'string' },
              role: { type: 'string' },
            },
          },
          401: errorSchema,
        },
      },
    },
    async (request) => {
      const session = requireSession(request)
      return { email: session.userName, tenant: session.tenantSlug, role: session.role }
    },
  )

  app.post('/session/logout', async (request, reply: FastifyReply) => {
    await endSession(store, request.cookies[SESSION_COOKIE])
    clearSessionCookie(reply, config)
    return reply.code(204).send()
  })

  app.get(
    '/tenants/:tenant/connections',
    {
      schema: {
        params: tenantParams,
        response: { 200: { type: 'array', items: connectionSchema } },
      },
    },
    async (request) => {
      const tenant = await adminTenant(request)
      return (await store.forTenant(tenant.id).connections.list()).map((c) =>
        connectionView(c, config.publicUrl),
      )
    },
  )

  app.post<{ Body: ConnectionBody }>(
    '/tenants/:tenant/connections',
    {
      schema: {
        params: tenantParams,
        body: {
          type: 'object',
          properties: connectionInputProperties,
          required: ['name', 'issuer', 'clientId', 'clientSecret', 'domain'],
          additionalProperties: false,
        },
        response: { 201: connectionSchema },
      },
    },
    async (request, reply) => {
      const tenant = await adminTenant(request)
      const b = request.body
      const created = await createConnection(
        store,
        secretBox,
        tenant,
        {
          name: b.name ?? '',
          issuer: b.issuer ?? '',
          clientId: b.clientId ?? '',
          clientSecret: b.clientSecret ?? '',
          domain: b.domain ?? '',
          jitEnabled: b.jitEnabled,
          emailClaims: b.emailClaims,
        },
        config.sso,
      )
      return reply.code(201).send(connectionView(created, config.publicUrl))
    },
  )

  app.get<{ Params: { tenant: string; id: string } }>(
    '/tenants/:tenant/connections/:id',
    { schema: { params: connectionParams, response: { 200: connectionSchema } } },
    async (request) => {
      const tenant = await adminTenant(request)
      return connectionView(await getConnection(store, tenant, request.params.id), config.publicUrl)
    },
  )

  app.patch<{ Params: { tenant: string; id: string }; Body: ConnectionBody }>(
    '/tenants/:tenant/connections/:id',
    {
      schema: {
        params: connectionParams,
        body: {
          type: 'object',
          properties: connectionInputProperties,
          additionalProperties: false,
        },
        response: { 200: connectionSchema },
      },
    },
    async (request) => {
      const tenant = await adminTenant(request)
      const updated = await editConnection(
        store,
        secretBox,
        tenant,
        request.params.id,
        request.body,
        config.sso,
      )
      return connectionView(updated, config.publicUrl)
    },
  )

  app.delete<{ Params: { tenant: string; id: string } }>(
    '/tenants/:tenant/connections/:id',
    { schema: { params: connectionParams } },
    async (request, reply) => {
      const tenant = await adminTenant(request)
      await deleteConnection(store, tenant, request.params.id)
      deps.clients.forget(request.params.id)
      return reply.code(204).send()
    },
  )

  app.post<{ Params: { tenant: string; id: string } }>(
    '/tenants/:tenant/connections/:id/verify',
    {
      schema: {
        params: connectionParams,
        response: { 200: { type: 'object', properties: { url: { type: 'string' } } } },
      },
    },
    async (request, reply) => {
      const tenant = await adminTenant(request)
      const connection = await getConnection(store, tenant, request.params.id)
      const binding = ssoBinding(request, reply, config)
      try {
        const url = await startAuthorization(
          { store, clients: deps.clients, publicUrl: config.publicUrl },
          connection,
          'verify',
          binding,
        )
        return { url: url.toString() }
      } catch (error) {
        const described = describeOidcError(error, 'discovery')
        await store.forTenant(tenant.id).signInLog.append({
          connectionId: connection.id,
          at: new Date().toISOString(),
          outcome: 'verification-failed',
          email: null,
          detail: `${described.error}: ${described.description}`,
        })
        throw new ApiError(
          502,
          'idp_discovery_failed',
          `${described.description}. ${fixFor('discovery', redirectUriOf(config.publicUrl))}`,
        )
      }
    },
  )

  app.get<{ Params: { tenant: string }; Querystring: { limit?: number } }>(
    '/tenants/:tenant/sign-in-log',
    {
      schema: {
        params: tenantParams,
        querystring: {
          type: 'object',
          properties: { limit: { type: 'integer', minimum: 1, maximum: 1000 } },
        },
      },
    },
    async (request) => {
      const tenant = await adminTenant(request)
      return store.forTenant(tenant.id).signInLog.list({ limit: request.query.limit ?? 100 })
    },
  )
}
