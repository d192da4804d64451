// The SCIM 2.0 scope: /scim/v2/:tenant. Owns its content-type parser (application/scim+json and
// application/json), body limit (413), bearer-token auth bound to the tenant in the URL,
// the RFC 7644 §3.12 error handler, and the provisioning log of every request.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../../config.ts'
import { verifyScimToken, type SigningKey } from '../../../credentials/scim-tokens.ts'
import { redactBody, type ProvisioningLogWriter } from '../../../provisioning/log-writer.ts'
import { ScimError } from '../../../scim/errors.ts'
import {
  resourceTypeById,
  resourceTypes,
  schemaById,
  schemas,
  serviceProviderConfig,
} from '../../../scim/discovery.ts'
import { LENIENT_QUIRKS, STRICT_QUIRKS } from '../../../scim/resources/quirks.ts'
import type { Store } from '../../../store/store.ts'
import {
  registerScimErrorHandler,
  SCIM_CONTENT_TYPE,
  sendScimError,
} from '../../plugins/scim-errors.ts'
import { registerBulkRoute } from './bulk.ts'
import { groupEndpoint, userEndpoint } from './endpoints.ts'
import { exceedsJsonDepth } from './json-depth.ts'
import { registerResourceRoutes } from './resources.ts'
import { registerRootSearchRoutes } from './root-search.ts'
import type { ScimRequestState } from './scope.ts'
import { TenantLoad } from '../../plugins/tenant-load.ts'

export interface ScimDeps {
  readonly config: Config
  readonly store: Store
  readonly signingKey: SigningKey
  readonly log: ProvisioningLogWriter
}

const TENANT_SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/

export async function scimRoutes(app: FastifyInstance, deps: ScimDeps): Promise<void> {
  const { config, store, signingKey, log } = deps
  const baseUrlOf = (slug: string) => `${config.publicUrl}/scim/v2/${slug}`

  app.decorateRequest('scim', null as unknown as ScimRequestState)
  const load = new TenantLoad(config.scim.maxInFlightPerTenant)
  const holdsSlot = new WeakSet<FastifyRequest>()
  const release = (request: FastifyRequest) => {
    if (holdsSlot.delete(request) && request.scim.ctx) load.leave(request.scim.ctx.tenant.id)
  }
  app.addHook('onRequestAbort', async (request) => release(request))

  app.removeAllContentTypeParsers()
  app.addContentTypeParser(
    ['application/scim+json', 'application/json'],
    { parseAs: 'string', bodyLimit: config.scim.maxBodyBytes },
    (_request, body, done) => {
      const text = String(body)
      if (text.trim() === '') return done(null, undefined)
      if (exceedsJsonDepth(text, config.scim.maxJsonDepth)) {
        return done(
          ScimError.invalidSyntax(
            `The request body nests arrays and objects more than ${config.scim.maxJsonDepth} ` +
              'levels deep (SCIM_MAX_JSON_DEPTH); no SCIM resource or message needs that many.',
          ),
          undefined,
        )
      }
      try {
        done(null, JSON.parse(text))
      } catch (error) {
        done(
          ScimError.invalidSyntax(
            `The request body is not valid JSON (${(error as Error).message}). Check quoting and commas.`,
          ),
          undefined,
        )
      }
    },
  )
  registerScimErrorHandler(app, config.scim.maxBodyBytes)

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    request.scim = {
      ctx: undefined,
      operation: `${request.method} ${request.routeOptions.url ?? ''}`,
      resourceType: null,
      resourceId: null,
      startedAt: process.hrtime.bigint(),
    }
    const slug = (request.params as { tenant?: string }).tenant ?? ''
    if (!TENANT_SLUG.test(slug)) {
      return sendScimError(reply, ScimError.notFound('Tenant', slug))
    }
    const check = await verifyScimToken(store, signingKey, request.headers.authorization, slug)
    if (!check.ok) {
      reply.header('www-authenticate', 'Bearer realm="rollcall-scim"')
      const tenant = await store.tenants.getBySlug(slug)
      if (tenant) {
        // Logged for the tenant's admin (seed 003: "JWT Token used by Azure is invalid").
        request.scim.ctx = {
          store,
          tenant,
          baseUrl: baseUrlOf(slug),
          quirks: LENIENT_QUIRKS,
          warnings: [],
        }
        request.scim.operation = 'Authenticate'
      }
      return sendScimError(reply, ScimError.unauthorized(check.reason))
    }
    if (!load.tryEnter(check.tenant.id)) {
      return sendScimError(
        reply,
        new ScimError(
          429,
          'Too many concurrent requests for this tenant; retry after the Retry-After delay.',
          undefined,
          { headers: { 'retry-after': '2' } },
        ),
      )
    }
    holdsSlot.add(request)
    request.scim.ctx = {
      store,
      tenant: check.tenant,
      baseUrl: baseUrlOf(slug),
      quirks: check.tenant.scimStrictProfile ? STRICT_QUIRKS : LENIENT_QUIRKS,
      warnings: [],
    }
    const segment = /\/scim\/v2\/[^/]+\/([^/?]+)/.exec(request.url)?.[1]
    request.scim.resourceType = segment === 'Users' ? 'User' : segment === 'Groups' ? 'Group' : null
  })

  // Keep the response text for the provisioning log (the reply payload is a string here).
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.scim?.ctx && typeof payload === 'string') {
      ;(reply as unknown as { scimPayload?: string }).scimPayload = payload
    }
    return payload
  })

  app.addHook('onResponse', async (request, reply) => {
    const state = request.scim
    if (!state?.ctx) return
    release(request)
    const payload = (reply as unknown as { scimPayload?: string }).scimPayload
    let scimType: string | null = null
    let detail: string | null = null
    if (reply.statusCode >= 400 && payload) {
      try {
        const body = JSON.parse(payload) as { scimType?: string; detail?: string }
        scimType = body.scimType ?? null
        detail = body.detail ?? null
      } catch {
        detail = null
      }
    }
    if (detail === null && state.ctx.warnings.length > 0) detail = state.ctx.warnings.join(' ')
    const agent = request.headers['user-agent']
    const entry = {
      tenantId: state.ctx.tenant.id,
      at: new Date().toISOString(),
      requestId: request.id,
      method: request.method,
      path: request.url,
      operation: state.operation,
      resourceType: state.resourceType,
      resourceId: state.resourceId,
      status: reply.statusCode,
      scimType,
      detail,
      durationMs: Number(process.hrtime.bigint() - state.startedAt) / 1e6,
      client: typeof agent === 'string' ? agent.slice(0, 200) : null,
      requestBody: redactBody(request.body, config.provisioningLog.maxBodyBytes),
      responseBody: redactBody(payload, config.provisioningLog.maxBodyBytes),
    }
    // A client without valid credentials is summarised per address, so it cannot flood the log.
    if (state.operation === 'Authenticate') log.recordUnauthenticated(entry, request.ip)
    else log.record(entry)
  })

  const limits = {
    maxResults: config.scim.maxResults,
    defaultPageSize: config.scim.defaultPageSize,
    maxFilterLength: config.scim.maxFilterLength,
    maxPatchOperations: config.scim.maxPatchOperations,
  }
  registerResourceRoutes(app, userEndpoint, limits)
  registerResourceRoutes(app, groupEndpoint, limits)
  registerRootSearchRoutes(app, limits)
  registerBulkRoute(app, {
    maxOperations: config.scim.bulkMaxOperations,
    maxPayloadSize: config.scim.maxBodyBytes,
    maxPatchOperations: config.scim.maxPatchOperations,
  })

  const discovery = (request: FastifyRequest) => {
    request.scim.operation = 'Discovery'
    const ctx = request.scim.ctx
    if (!ctx) throw new Error('SCIM context missing')
    return ctx
  }

  app.get('/ServiceProviderConfig', async (request, reply) => {
    const ctx = discovery(request)
    return reply.type(SCIM_CONTENT_TYPE).send(
      serviceProviderConfig({
        baseUrl: ctx.baseUrl,
        maxResults: config.scim.maxResults,
        bulk: {
          supported: true,
          maxOperations: config.scim.bulkMaxOperations,
          maxPayloadSize: config.scim.maxBodyBytes,
        },
        strictProfile: ctx.tenant.scimStrictProfile,
      }),
    )
  })
  app.get('/ResourceTypes', async (request, reply) =>
    reply.type(SCIM_CONTENT_TYPE).send(resourceTypes(discovery(request).baseUrl)),
  )
  app.get('/ResourceTypes/:id', async (request, reply) => {
    const id = (request.params as { id: string }).id
    const found = resourceTypeById(discovery(request).baseUrl, id)
    if (!found) throw ScimError.notFound('ResourceType', id)
    return reply.type(SCIM_CONTENT_TYPE).send(found)
  })
  app.get('/Schemas', async (request, reply) =>
    reply.type(SCIM_CONTENT_TYPE).send(schemas(discovery(request).baseUrl)),
  )
  app.get('/Schemas/:id', async (request, reply) => {
    const id = (request.params as { id: string }).id
    const found = schemaById(discovery(request).baseUrl, id)
    if (!found) throw ScimError.notFound('Schema', id)
    return reply.type(SCIM_CONTENT_TYPE).send(found)
  })

  // RFC 7644 §3.11: /Me needs a token that names a user; SCIM tokens name a tenant.
  app.all('/Me', async (request) => {
    request.scim.operation = 'Me'
    throw ScimError.notImplemented(
      "/Me is not supported: SCIM tokens authenticate a tenant's provisioning client, not a user.",
    )
  })
}
