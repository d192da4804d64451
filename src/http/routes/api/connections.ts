// /api/tenants/:tenant/connections — the tenant's sign-in (OIDC) connections for an Admin of the
// tenant: create, list, show, edit, delete, and start a verification round trip (the answer is
// the URL to send the admin's browser to).
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../../config.ts'
import type { SecretBox } from '../../../credentials/secret-box.ts'
import { AppError } from '../../../errors.ts'
import { describeOidcError, fixFor } from '../../../sso/callback.ts'
import type { OidcClients } from '../../../sso/clients.ts'
import {
  connectionView,
  createConnection,
  deleteConnection,
  editConnection,
  getConnection,
  redirectUriOf,
} from '../../../sso/connections.ts'
import { startAuthorization } from '../../../sso/login.ts'
import type { Store } from '../../../store/store.ts'
import { tenantOf } from '../../plugins/tenant.ts'
import { ssoBinding } from '../../plugins/web-session.ts'
import { tenantParams } from './params.ts'

export interface ConnectionRouteDeps {
  readonly config: Config
  readonly store: Store
  readonly secretBox: SecretBox
  readonly clients: OidcClients
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

type ConnectionParams = { Params: { tenant: string; id: string } }

export function loginConnectionRoutes(app: FastifyInstance, deps: ConnectionRouteDeps): void {
  const { config, store, secretBox } = deps
  const view = (connection: Parameters<typeof connectionView>[0]) =>
    connectionView(connection, config.publicUrl)

  app.get(
    '/tenants/:tenant/connections',
    {
      schema: {
        params: tenantParams,
        response: { 200: { type: 'array', items: connectionSchema } },
      },
    },
    async (request) => (await store.forTenant(tenantOf(request).id).connections.list()).map(view),
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
      const b = request.body
      const created = await createConnection(
        store,
        secretBox,
        tenantOf(request),
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
      return reply.code(201).send(view(created))
    },
  )

  app.get<ConnectionParams>(
    '/tenants/:tenant/connections/:id',
    { schema: { params: connectionParams, response: { 200: connectionSchema } } },
    async (request) => view(await getConnection(store, tenantOf(request), request.params.id)),
  )

  app.patch<ConnectionParams & { Body: ConnectionBody }>(
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
      const updated = await editConnection(
        store,
        secretBox,
        tenantOf(request),
        request.params.id,
        request.body,
        config.sso,
      )
      return view(updated)
    },
  )

  app.delete<ConnectionParams>(
    '/tenants/:tenant/connections/:id',
    { schema: { params: connectionParams } },
    async (request, reply) => {
      await deleteConnection(store, tenantOf(request), request.params.id)
      deps.clients.forget(request.params.id)
      return reply.code(204).send()
    },
  )

  app.post<ConnectionParams>(
    '/tenants/:tenant/connections/:id/verify',
    {
      schema: {
        params: connectionParams,
        response: { 200: { type: 'object', properties: { url: { type: 'string' } } } },
      },
    },
    async (request, reply) => {
      const tenant = tenantOf(request)
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
        throw AppError.idpDiscoveryFailed(
          `${described.description}. ${fixFor('discovery', redirectUriOf(config.publicUrl))}`,
        )
      }
    },
  )
}
