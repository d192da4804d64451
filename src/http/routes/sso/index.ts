// The SSO scope: /sso. "Sign in with SSO" (domain or email → that tenant's IdP), the login URL of
// each connection, the CLI's one-time verification links, and the callback, answered with HTML
// pages. Every failure is a page that says what happened and what to do (SsoPageError).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../../config.ts'
import { hashToken } from '../../../credentials/one-time-tokens.ts'
import { asConnectionId } from '../../../domain/ids.ts'
import { describeDecision, refusalMessage } from '../../../domain/sign-in-rules.ts'
import { completeAuthorization, describeOidcError, fixFor } from '../../../sso/callback.ts'
import { displayClaims } from '../../../sso/claims.ts'
import type { OidcClients } from '../../../sso/clients.ts'
import { redirectUriOf } from '../../../sso/connections.ts'
import { startAuthorization, BINDING_COOKIE } from '../../../sso/login.ts'
import type { AuthorizationPurpose, LoginConnectionRecord, Store } from '../../../store/store.ts'
import { StoreUnavailable } from '../../../store/store.ts'
import { html, sendPage, type Html } from '../../pages.ts'
import { setSessionCookie, ssoBinding } from '../../plugins/web-session.ts'

export interface SsoRouteDeps {
  readonly config: Config
  readonly store: Store
  readonly clients: OidcClients
}

/** The one error type of the SSO pages: a status, a title and what to do, rendered as HTML. */
export class SsoPageError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly body: Html,
  ) {
    super(title)
    this.name = 'SsoPageError'
  }
}

const ssoForm = (value = '', problem?: string) =>
  html` ${problem ? html`<p class="error">${problem}</p>` : ''}
    <form method="get" action="/sso">
      <label for="q">Your work email, or your organisation's identity provider domain</label>
      <input id="q" name="q" value="${value}" placeholder="you@contoso.com" autofocus required />
      <button type="submit">Continue</button>
    </form>`

export async function ssoRoutes(app: FastifyInstance, deps: SsoRouteDeps): Promise<void> {
  const { config, store } = deps
  const ssoDeps = { store, clients: deps.clients, publicUrl: config.publicUrl }

  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof SsoPageError) return sendPage(reply, error.status, error.title, error.body)
    if (error instanceof StoreUnavailable) {
      reply.header('retry-after', '5')
      return sendPage(
        reply,
        503,
        'Try again shortly',
        html`<p class="error">The service is briefly unavailable. Try again in a few seconds.</p>`,
      )
    }
    request.log.error({ err: error }, 'SSO request failed')
    return sendPage(
      reply,
      500,
      'Something went wrong',
      html`<p class="error">
        An internal error occurred (request ${request.id}). It has been logged; try again later.
      </p>`,
    )
  })
  app.setNotFoundHandler((_request, reply) =>
    sendPage(
      reply,
      404,
      'Not found',
      html`<p>There is no page here. <a href="/sso">Sign in with SSO</a>.</p>`,
    ),
  )

  /** Redirects the browser to the connection's IdP, or explains why not. */
  const start = async (
    request: FastifyRequest,
    reply: FastifyReply,
    connection: LoginConnectionRecord,
    purpose: AuthorizationPurpose,
  ) => {
    if (purpose === 'login' && connection.status !== 'verified') {
      throw new SsoPageError(
        403,
        'Single sign-on is not ready yet',
        html`<p class="error">
            The sign-in connection “${connection.name}” has not been verified by your administrator
            yet, so nobody can sign in through it.
          </p>
          <p>
            Administrator: verify the connection (<code>npx rollcall connection verify</code>, or
            <code>POST /api/tenants/&lt;slug&gt;/connections/&lt;id&gt;/verify</code>), then try
            again.
          </p>`,
      )
    }
    const binding = ssoBinding(request, reply, config)
    let url: URL
    try {
      url = await startAuthorization(ssoDeps, connection, purpose, binding)
    } catch (error) {
      const described = describeOidcError(error, 'discovery')
      await store.forTenant(connection.tenantId).signInLog.append({
        connectionId: connection.id,
        at: new Date().toISOString(),
        outcome: purpose === 'verify' ? 'verification-failed' : 'failed',
        email: null,
        detail: `${described.error}: ${described.description}`,
      })
      throw new SsoPageError(
        502,
        'The identity provider could not be reached',
        html`<p class="error">${described.description}</p>
          <p>${fixFor('discovery', redirectUriOf(config.publicUrl))}</p>`,
      )
    }
    return reply.code(302).header('cache-control', 'no-store').redirect(url.toString())
  }

  app.get<{ Querystring: { q?: string } }>(
    '/',
    {
      schema: {
        querystring: { type: 'object', properties: { q: { type: 'string', maxLength: 320 } } },
      },
    },
    async (request, reply) => {
      const q = request.query.q?.trim() ?? ''
      if (q === '') return sendPage(reply, 200, 'Sign in with SSO', ssoForm())
      const domain = q.includes('@') ? q.slice(q.lastIndexOf('@') + 1) : q
      const connection = await store.connections.byDomain(domain)
      if (!connection) {
        return sendPage(
          reply,
          404,
          'Sign in with SSO',
          ssoForm(
            q,
            `No organisation uses “${domain}” for single sign-on. Check the spelling, or ask your administrator for your organisation's login URL.`,
          ),
        )
      }
      return start(request, reply, connection, 'login')
    },
  )

  app.get<{ Params: { connectionId: string } }>(
    '/login/:connectionId',
    {
      schema: {
        params: { type: 'object', properties: { connectionId: { type: 'string', maxLength: 64 } } },
      },
    },
    async (request, reply) => {
      const connection = await store.connections.get(asConnectionId(request.params.connectionId))
      if (!connection) {
        throw new SsoPageError(
          404,
          'Unknown login URL',
          html`<p class="error">
            This login URL does not lead to any sign-in connection (it may have been deleted). Ask
            your administrator for the current one, or <a href="/sso">sign in with your email</a>.
          </p>`,
        )
      }
      return start(request, reply, connection, 'login')
    },
  )

  app.get<{ Params: { token: string } }>(
    '/verify/:token',
    {
      schema: {
        params: { type: 'object', properties: { token: { type: 'string', maxLength: 200 } } },
      },
    },
    async (request, reply) => {
      const record = await store.oneTimeTokens.consume(
        hashToken(request.params.token),
        'verify-connection',
        new Date().toISOString(),
      )
      const connection = record ? await store.connections.get(record.subjectId) : undefined
      if (!record || !connection || connection.tenantId !== record.tenantId) {
        throw new SsoPageError(
          410,
          'This verification link is no longer valid',
          html`<p class="error">Verification links work once and for 10 minutes.</p>
            <p>
              Create a new one:
              <code
                >npx rollcall connection verify --tenant &lt;slug&gt; --id &lt;connection
                id&gt;</code
              >
            </p>`,
        )
      }
      return start(request, reply, connection, 'verify')
    },
  )

  app.get('/callback', async (request, reply) => {
    const currentUrl = new URL(request.url, `${config.publicUrl}/`)
    // Callback URLs are resolved against PUBLIC_URL: openid-client derives the redirect_uri sent
    // to the token endpoint from it, and that must be the registered one.
    const callbackUrl = new URL(`${config.publicUrl}/sso/callback${currentUrl.search}`)
    const outcome = await completeAuthorization(
      { ...ssoDeps, sessions: config.sessions },
      callbackUrl,
      request.cookies[BINDING_COOKIE],
    )
    switch (outcome.kind) {
      case 'invalidState':
        return sendPage(
          reply,
          400,
          'This sign-in cannot be completed',
          html`<p class="error">
              The sign-in request is unknown, has expired (after 10 minutes), was already used, or
              was started in another browser.
            </p>
            <p><a href="/sso">Start again</a>.</p>`,
        )
      case 'failed': {
        const verifying = outcome.purpose === 'verify'
        return sendPage(
          reply,
          502,
          verifying ? 'Verification failed' : 'Sign-in failed',
          html`<p class="error">
              The identity provider answered:
              <strong>${outcome.error}</strong
              >${outcome.description ? html` — ${outcome.description}` : ''}
            </p>
            <p><strong>What to fix:</strong> ${outcome.fix}</p>
            ${verifying ? html`<p>The connection${outcome.connection ? html` “${outcome.connection.name}”` : ''} stays unverified. Fix the settings, then verify again.</p>` : html`<p>If this keeps happening, tell your administrator.</p>`}`,
        )
      }
      case 'verified': {
        const rows = displayClaims(outcome.claims).map(
          ([name, value]) =>
            html`<tr>
              <td><code>${name}</code></td>
              <td>${value}</td>
            </tr>`,
        )
        const refused = outcome.decision.kind === 'refuse'
        return sendPage(
          reply,
          200,
          'Connection verified',
          html`<p class="ok">
              The connection “${outcome.connection.name}” works: the identity provider signed you in
              and its ID token passed validation. It is now <strong>verified</strong>; users can
              sign in through its login URL.
            </p>
            <h2>What a sign-in with this account would do</h2>
            <p
              class="${refused ? 'error' : 'ok'}"
              id="decision"
              data-kind="${outcome.decision.kind}"
            >
              ${describeDecision(outcome.decision)}
            </p>
            <h2>Claims received</h2>
            <table>
              <tr>
                <th>claim</th>
                <th>value</th>
              </tr>
              ${rows}
            </table>`,
        )
      }
      case 'notVerified':
        return sendPage(
          reply,
          403,
          'Single sign-on is not ready yet',
          html`<p class="error">
            The sign-in connection “${outcome.connection.name}” is not verified (it was changed
            since). Ask your administrator to verify it again.
          </p>`,
        )
      case 'refused':
        return sendPage(
          reply,
          403,
          'You cannot sign in here',
          html`<p class="error" data-reason="${outcome.decision.reason}">
            ${refusalMessage(outcome.decision.reason, outcome.decision.email)}
          </p>`,
        )
      case 'signedIn': {
        setSessionCookie(reply, config, outcome.sessionId)
        const moved =
          outcome.decision.kind === 'transfer'
            ? html`<p>You are now also a member of this organisation.</p>`
            : ''
        return sendPage(
          reply,
          200,
          'Signed in',
          html`<p class="ok">
              You are signed in to <strong>${outcome.tenantSlug}</strong> as
              ${outcome.decision.email} (${outcome.decision.role}).
            </p>
            ${moved}`,
        )
      }
    }
  })
}
