// The SCIM 2.0 scope: /scim/v2/:tenant. Wires its body parser (application/scim+json and
// application/json, 413 past the limit), the RFC 7644 §3.12 error renderer, bearer-token auth
// bound to the tenant in the URL, the per-tenant load bound, the provisioning log, and the routes.
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../../config.ts'
import { setEventActor } from '../../../events/context.ts'
import type { SigningKey } from '../../../credentials/scim-tokens.ts'
import { REFUSED_OPERATION, type ProvisioningLogWriter } from '../../../provisioning/log-writer.ts'
import { LENIENT_QUIRKS, STRICT_QUIRKS } from '../../../scim/resources/quirks.ts'
import type { Store } from '../../../store/store.ts'
import { scimAuth } from '../../plugins/scim-auth.ts'
import { registerScimErrorHandler } from '../../plugins/scim-errors.ts'
import { registerTenantLoad } from '../../plugins/tenant-load.ts'
import { registerScimBodyParser } from './body-parser.ts'
import { registerBulkRoute } from './bulk.ts'
import { registerDiscoveryRoutes } from './discovery.ts'
import { groupEndpoint, userEndpoint } from './endpoints.ts'
import { registerProvisioningLog, registerScimRequestState } from './provisioning-log.ts'
import { registerResourceRoutes } from './resources.ts'
import { registerRootSearchRoutes } from './root-search.ts'

export interface ScimDeps {
  readonly config: Config
  readonly store: Store
  readonly signingKey: SigningKey
  readonly log: ProvisioningLogWriter
}

export async function scimRoutes(app: FastifyInstance, deps: ScimDeps): Promise<void> {
  const { config, store, signingKey, log } = deps
  const baseUrlOf = (slug: string) => `${config.publicUrl}/scim/v2/${slug}`

  registerScimBodyParser(app, config.scim)
  registerScimErrorHandler(app, {
    maxBodyBytes: config.scim.maxBodyBytes,
  })

  // onRequest, in order: the request's state, authentication (request.tenant), the load bound,
  // then the provisioning context of the tenant.
  registerScimRequestState(app)
  app.addHook(
    'onRequest',
    scimAuth({
      store,
      signingKey,
      // Logged for the tenant's admin (seed 003: "JWT Token used by Azure is invalid").
      async onRefused(request, slug) {
        const tenant = await store.tenants.getBySlugRecent(slug)
        if (!tenant) return
        request.scim.ctx = {
          store,
          tenant,
          baseUrl: baseUrlOf(slug),
          quirks: LENIENT_QUIRKS,
          warnings: [],
        }
        request.scim.operation = REFUSED_OPERATION
      },
    }),
  )
  registerTenantLoad(app, config.scim.maxInFlightPerTenant)
  app.addHook('onRequest', async (request, reply) => {
    // Skipped when an earlier hook answered (404, 401, 429).
    if (reply.sent || !request.tenant) return
    const tenant = request.tenant
    // Authenticated by the tenant's current token: its id (jti) names the actor.
    if (tenant.scimTokenId !== null) setEventActor({ type: 'scim', id: tenant.scimTokenId })
    request.scim.ctx = {
      store,
      tenant,
      baseUrl: baseUrlOf((request.params as { tenant: string }).tenant),
      quirks: tenant.scimStrictProfile ? STRICT_QUIRKS : LENIENT_QUIRKS,
      warnings: [],
    }
    const segment = /\/scim\/v2\/[^/]+\/([^/?]+)/.exec(request.url)?.[1]
    request.scim.resourceType = segment === 'Users' ? 'User' : segment === 'Groups' ? 'Group' : null
  })
  registerProvisioningLog(app, { log, maxBodyBytes: config.provisioningLog.maxBodyBytes })

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
  registerDiscoveryRoutes(app, {
    maxResults: config.scim.maxResults,
    bulkMaxOperations: config.scim.bulkMaxOperations,
    maxBodyBytes: config.scim.maxBodyBytes,
  })
}
