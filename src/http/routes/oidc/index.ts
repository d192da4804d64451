// The OIDC scope: /oidc, Rollcall as the host application's OpenID Provider (oidc-provider).
// The sign-in step (interaction.ts) is ours; every other path is handed to oidc-provider with
// the raw request: Fastify parses no body here (the token endpoint reads its own form posts),
// the request is seen as arriving at PUBLIC_URL (so endpoint URLs match the issuer behind a
// proxy), and the pages oidc-provider renders get a CSP that lets its form_post script run.
// Signing out there (RP-initiated logout) ends the Rollcall session too.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../../config.ts'
import { OIDC_PATH, type IdentityProvider } from '../../../identity-provider/provider.ts'
import type { OidcClients } from '../../../sso/clients.ts'
import type { Store } from '../../../store/store.ts'
import { endSession, SESSION_COOKIE } from '../../../sessions/sessions.ts'
import { registerPageErrorHandler } from '../../plugins/page-errors.ts'
import { clearedSessionCookie } from '../../plugins/web-session.ts'
import { interactionRoute } from './interaction.ts'
import { notFoundBody } from './pages.ts'

export interface OidcRouteDeps {
  readonly config: Config
  readonly store: Store
  readonly clients: OidcClients
  readonly identityProvider: IdentityProvider
}

type RawRequest = FastifyRequest['raw'] & { originalUrl?: string }

export async function oidcRoutes(app: FastifyInstance, deps: OidcRouteDeps): Promise<void> {
  registerPageErrorHandler(app, { notFound: notFoundBody })
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined))
  interactionRoute(app, deps)

  // Signing out of the app (RP-initiated logout, confirmed) signs out of Rollcall too, or the
  // next sign-in would reuse the Rollcall session.
  deps.identityProvider.onSignOut((req, res) => {
    const session = app.parseCookie(req.headers.cookie ?? '')[SESSION_COOKIE]
    if (!session) return
    endSession(deps.store, session).catch((error: unknown) =>
      app.log.error({ err: error }, 'could not end the session at sign-out'),
    )
    const existing = res.getHeader('set-cookie') ?? []
    res.setHeader('set-cookie', [
      ...(Array.isArray(existing) ? existing : [String(existing)]),
      clearedSessionCookie(app, deps.config),
    ])
  })

  const publicUrl = new URL(deps.config.publicUrl)
  const handOver = async (request: FastifyRequest, reply: FastifyReply) => {
    const provider = await deps.identityProvider.provider()
    const raw = request.raw as RawRequest
    raw.originalUrl = raw.url ?? '/'
    raw.url = (raw.url ?? '/').slice(OIDC_PATH.length) || '/'
    raw.headers['x-forwarded-proto'] = publicUrl.protocol.slice(0, -1)
    raw.headers['x-forwarded-host'] = publicUrl.host
    reply.hijack()
    provider.callback()(raw, reply.raw)
  }
  app.all(
    '/*',
    {
      helmet: {
        contentSecurityPolicy: {
          useDefaults: false,
          directives: {
            defaultSrc: ["'none'"],
            styleSrc: ["'unsafe-inline'"],
            // oidc-provider adds the hash of its one inline script (form_post) here.
            scriptSrc: ["'self'"],
            // form_post answers post to the client's registered redirect URI.
            formAction: ["'self'", 'https:', 'http:'],
            frameAncestors: ["'none'"],
            baseUri: ["'none'"],
          },
        },
      },
    },
    handOver,
  )
}
