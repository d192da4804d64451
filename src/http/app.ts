// buildApp(config, deps): the Fastify instance with every scope registered. Never listens;
// server.ts does, and tests inject() into it.
import cookie from '@fastify/cookie'
import helmet from '@fastify/helmet'
import Fastify, { type FastifyInstance } from 'fastify'
import type { Config } from '../config.ts'
import type { SigningKey } from '../credentials/scim-tokens.ts'
import type { SecretBox } from '../credentials/secret-box.ts'
import { runWithEventContext } from '../events/context.ts'
import { IdentityProvider } from '../identity-provider/provider.ts'
import { OidcClients, type OidcClientOptions } from '../sso/clients.ts'
import type { ProvisioningLogWriter } from '../provisioning/log-writer.ts'
import type { ScryptParams } from '../provisioning/passwords.ts'
import type { Store } from '../store/store.ts'
import { loggerOptions } from './log-serializers.ts'
import { apiRoutes } from './routes/api/index.ts'
import { registerOpenApi } from './routes/api/openapi.ts'
import { v1Routes } from './routes/v1/index.ts'
import { consoleRoutes } from './routes/console/index.ts'
import { loginRoutes } from './routes/login/index.ts'
import { oidcRoutes } from './routes/oidc/index.ts'
import { providerPages } from './routes/oidc/pages.ts'
import { scimRoutes } from './routes/scim/index.ts'
import { ssoRoutes } from './routes/sso/index.ts'
import { tenantPlugin } from './plugins/tenant.ts'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'

export interface AppDeps {
  readonly store: Store
  readonly signingKey: SigningKey
  readonly log: ProvisioningLogWriter
  /** Seals and opens OIDC client secrets (ROLLCALL_SECRET). */
  readonly secretBox: SecretBox
  /**
   * Relying-party options over those of the configuration; only tests set them (a fetch that
   * tampers with responses, DNS answers for made-up host names).
   */
  readonly sso?: OidcClientOptions
  /** scrypt parameters of new local password hashes; tests only (cheaper than the default). */
  readonly passwordHashing?: ScryptParams
  /** Pino options (a `stream`, …) or false; tests pass false. Redaction is always added. */
  readonly logger?: boolean | Record<string, unknown>
  /** The built console (index.html, assets/); defaults to dist/console of this checkout. */
  readonly consoleDir?: string
  /** The OpenID Provider at /oidc (server.ts starts it); else one that loads on first use. */
  readonly identityProvider?: IdentityProvider
}

/** Where `npm run build:console` writes the console. */
export const DEFAULT_CONSOLE_DIR = join(import.meta.dirname, '..', '..', 'dist', 'console')

export async function buildApp(config: Config, deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // Masks one-time tokens, OIDC code/state and SCIM filters in every line (log-serializers.ts).
    logger: loggerOptions(config.logLevel, deps.logger),
    bodyLimit: config.scim.maxBodyBytes,
    // Fastify takes a hop count too (documented), which its type omits.
    trustProxy: (typeof config.trustProxy === 'object'
      ? [...config.trustProxy]
      : config.trustProxy) as boolean | string[],
    // Entra URL-encodes filters; allow long query strings but keep a bound.
    routerOptions: { maxParamLength: 512 },
    genReqId: (request) => {
      const given = request.headers['x-request-id']
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID()
    },
    requestIdHeader: false,
    return503OnClosing: true,
  })

  // Every request runs in its own event context: the events its changes record carry its
  // request id, and the actor that its surface's authentication names (setEventActor). A
  // callback hook, so that the rest of the request (hooks, body parsing, handler) runs inside.
  app.addHook('onRequest', (request, _reply, done) => {
    runWithEventContext({ actor: { type: 'system' }, requestId: request.id }, done)
  })

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id)
    return payload
  })

  // Security headers on every response (pages, /api, SCIM). The pages (pages.ts) have one inline
  // <style> and no script. Links carry one-time tokens: no Referer leaves this site.
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'unsafe-inline'"],
        // "Sign in with SSO" is a form whose answer redirects to the tenant's IdP, and browsers
        // check form-action on that redirect too: any https:// IdP (http:// ones when allowed).
        formAction: ["'self'", 'https:', ...(config.sso.allowPrivateIssuers ? ['http:'] : [])],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    strictTransportSecurity: config.publicUrl.startsWith('https://')
      ? { maxAge: 31_536_000, includeSubDomains: true }
      : false,
  })

  // request.tenant, resolved once per request by the SCIM and admin API scopes.
  await app.register(tenantPlugin)

  app.get('/healthz', async () => ({ status: 'ok' }))
  app.get('/readyz', async (_request, reply) => {
    try {
      await deps.store.ping()
      return { status: 'ready' }
    } catch {
      return reply.code(503).send({ status: 'unavailable', detail: 'the database is unreachable' })
    }
  })

  await app.register(
    (scope, _opts, done) => {
      scimRoutes(scope, { config, store: deps.store, signingKey: deps.signingKey, log: deps.log })
        .then(() => done())
        .catch(done)
    },
    { prefix: '/scim/v2/:tenant' },
  )

  // Sign-in (SPEC §4): session cookies for /api, /login and /sso.
  await app.register(cookie)
  const clients = new OidcClients(deps.secretBox, {
    allowPrivateIssuers: config.sso.allowPrivateIssuers,
    log: app.log,
    ...deps.sso,
  })
  // /api: the admin API (console sessions) and /api/v1 (API keys), each its own scope with its own
  // authentication, described by one OpenAPI document registered before both.
  await app.register(
    async (api) => {
      await registerOpenApi(api, config)
      await api.register((scope) =>
        apiRoutes(scope, {
          config,
          store: deps.store,
          secretBox: deps.secretBox,
          signingKey: deps.signingKey,
          clients,
        }),
      )
      await api.register((scope) => v1Routes(scope, { config, store: deps.store }), {
        prefix: '/v1',
      })
    },
    { prefix: '/api' },
  )
  await app.register((scope) => ssoRoutes(scope, { config, store: deps.store, clients }), {
    prefix: '/sso',
  })
  await app.register(
    (scope) =>
      loginRoutes(scope, { config, store: deps.store, passwordHashing: deps.passwordHashing }),
    { prefix: '/login' },
  )
  // The host application's OpenID Provider (issue #10): issuer PUBLIC_URL/oidc.
  const identityProvider =
    deps.identityProvider ??
    new IdentityProvider({
      store: deps.store,
      secretBox: deps.secretBox,
      publicUrl: config.publicUrl,
      onError: (error) => app.log.error({ err: error }, 'OpenID Provider error'),
      pages: providerPages,
    })
  await app.register(
    (scope) => oidcRoutes(scope, { config, store: deps.store, clients, identityProvider }),
    { prefix: '/oidc' },
  )
  // The console at / (SPEC §5), last: its fallback is the root's not-found handler.
  await consoleRoutes(app, { dir: deps.consoleDir ?? DEFAULT_CONSOLE_DIR })
  return app
}
