// The admin API scope: /api. JSON only (every state-changing request says Content-Type:
// application/json, bodiless ones too: CSRF), errors as RFC 9457 problem details
// (plugins/api-errors.ts), the same-origin check on state-changing requests (see
// plugins/web-session.ts), and the session of the cookie, re-checked against the database on every
// request. Routes under /tenants/:tenant need an Admin session of that tenant (plugins/tenant.ts).
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../../config.ts'
import type { SigningKey } from '../../../credentials/scim-tokens.ts'
import type { SecretBox } from '../../../credentials/secret-box.ts'
import { dnsTxtResolver } from '../../../directory/dns-resolver.ts'
import type { TxtResolver } from '../../../directory/domains.ts'
import { AppError } from '../../../errors.ts'
import { setEventActor } from '../../../events/context.ts'
import type { OidcClients } from '../../../sso/clients.ts'
import type { SessionView, Store } from '../../../store/store.ts'
import { registerApiErrorHandler } from '../../plugins/api-errors.ts'
import { adminTenantHook } from '../../plugins/tenant.ts'
import { crossSiteReason, nonJsonReason, sessionOf } from '../../plugins/web-session.ts'
import { loginConnectionRoutes } from './connections.ts'
import { domainRoutes } from './domains.ts'
import { provisioningLogRoutes } from './provisioning-log.ts'
import { scimSettingsRoutes } from './scim-settings.ts'
import { handBackRoutes } from './hand-back.ts'
import { roleRoutes } from './roles.ts'
import { groupRoutes } from './groups.ts'
import { sessionRoutes } from './session.ts'
import { signInLogRoutes } from './sign-in-log.ts'
import { userRoutes } from './users.ts'

export interface ApiDeps {
  readonly config: Config
  readonly store: Store
  readonly secretBox: SecretBox
  /** Signs the SCIM tokens an Admin issues (System Settings → SCIM Provisioning). */
  readonly signingKey: SigningKey
  readonly clients: OidcClients
  /** DNS TXT lookups of domain verification; defaults to node:dns as configured. */
  readonly resolveTxt?: TxtResolver
}

declare module 'fastify' {
  interface FastifyRequest {
    apiSession: SessionView | undefined
  }
}

export async function apiRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { config, store } = deps
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

  app.addHook('onRequest', async (request) => {
    const refused = crossSiteReason(request, config.publicUrl)
    if (refused) throw AppError.crossSiteRequest(refused)
    const notJson = nonJsonReason(request)
    if (notJson) throw AppError.unsupportedMediaType(notJson)
    request.apiSession = await sessionOf(request, config, store)
    if (request.apiSession) setEventActor({ type: 'admin', id: request.apiSession.userId })
  })

  sessionRoutes(app, { config, store })

  // Everything under /tenants/:tenant acts for the tenant of the URL, resolved once.
  await app.register(async (tenantScope) => {
    tenantScope.addHook(
      'preHandler',
      adminTenantHook(store, (request) => request.apiSession),
    )
    loginConnectionRoutes(tenantScope, {
      config,
      store,
      secretBox: deps.secretBox,
      clients: deps.clients,
    })
    domainRoutes(tenantScope, {
      store,
      resolveTxt: deps.resolveTxt ?? dnsTxtResolver(config.domainVerification),
    })
    signInLogRoutes(tenantScope, { store })
    scimSettingsRoutes(tenantScope, { config, store, signingKey: deps.signingKey })
    provisioningLogRoutes(tenantScope, { store })
    roleRoutes(tenantScope, { store })
    handBackRoutes(tenantScope, { store })
    userRoutes(tenantScope, { config, store })
    groupRoutes(tenantScope, { store })
  })
}
