// /login — the local sign-in form, and its submission as a form (answered with a page) or as
// JSON (answered with the session's email, tenant and role, or problem details).
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../../config.ts'
import { AppError } from '../../../errors.ts'
import { signInWithPassword, type LocalLoginOptions } from '../../../sessions/local-login.ts'
import type { Store } from '../../../store/store.ts'
import { html, sendPage } from '../../pages.ts'
import { returnToOidc } from '../../plugins/oidc-return.ts'
import { setSessionCookie } from '../../plugins/web-session.ts'
import { loginForm, tooManyAttempts, type LoginBody } from './pages.ts'
import { wantsJson } from './wants-json.ts'

export interface SignInRouteDeps {
  readonly config: Config
  readonly store: Store
  readonly options: LocalLoginOptions
}

const bodySchema = {
  type: 'object',
  properties: {
    tenant: { type: 'string', maxLength: 63 },
    email: { type: 'string', maxLength: 320 },
    password: { type: 'string', maxLength: 1024 },
  },
} as const

const INVALID =
  'The organisation, email or password is wrong (or the account may not sign in with a password).'

export function signInRoutes(app: FastifyInstance, deps: SignInRouteDeps): void {
  const { config, store, options } = deps

  // ?tenant= and ?email= fill the form in (the host application's sign-in sends them).
  app.get<{ Querystring: { tenant?: string; email?: string } }>(
    '/',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            tenant: { type: 'string', maxLength: 63 },
            email: { type: 'string', maxLength: 320 },
          },
        },
      },
    },
    async (request, reply) =>
      sendPage(
        reply,
        200,
        'Sign in',
        loginForm({
          ...(request.query.tenant ? { tenant: request.query.tenant } : {}),
          ...(request.query.email ? { email: request.query.email } : {}),
        }),
      ),
  )

  app.post<{ Body: LoginBody }>('/', { schema: { body: bodySchema } }, async (request, reply) => {
    const json = wantsJson(request)
    const body = request.body ?? {}
    const result = await signInWithPassword(
      store,
      { ...options, sessions: config.sessions },
      {
        tenant: body.tenant ?? '',
        email: body.email ?? '',
        password: body.password ?? '',
        address: request.ip,
      },
    )
    switch (result.kind) {
      case 'throttled': {
        const detail = tooManyAttempts(result.retryAfterSeconds)
        if (json) throw AppError.tooManyAttempts(detail, result.retryAfterSeconds)
        reply.header('retry-after', String(result.retryAfterSeconds))
        return sendPage(reply, 429, 'Sign in', loginForm(body, detail))
      }
      case 'invalid':
        if (json) throw AppError.invalidCredentials(INVALID)
        return sendPage(reply, 401, 'Sign in', loginForm(body, INVALID))
      case 'signedIn':
        setSessionCookie(reply, config, result.sessionId)
        if (!json) {
          const back = returnToOidc(request, reply)
          if (back) return back
        }
        if (json)
          return reply
            .code(200)
            .send({ email: result.email, tenant: result.tenant, role: result.role })
        return sendPage(
          reply,
          200,
          'Signed in',
          html`<p class="ok">
              You are signed in to <strong>${result.tenant}</strong> as ${result.email}
              (${result.role}).
            </p>
            <p><a href="/">Continue to the console</a></p>`,
        )
    }
  })
}
