// Local sign-in for bootstrap and break-glass admins: /login (tenant + email + password, as a
// form or JSON) and /login/set-password/:token (the one-time link of `admin create`). Failed
// attempts are throttled per account and client address, per address, and slowed down per
// account (429 + Retry-After; see sessions/local-login.ts); unknown set-password links count per
// address. State-changing requests pass the same-origin check (plugins/web-session.ts).
import formbody from '@fastify/formbody'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Config } from '../../../config.ts'
import type { ScryptParams } from '../../../provisioning/passwords.ts'
import {
  checkSetPasswordLink,
  MIN_PASSWORD_LENGTH,
  setPasswordWithToken,
  signInWithPassword,
  type LocalLoginOptions,
} from '../../../sessions/local-login.ts'
import type { Store } from '../../../store/store.ts'
import { html, sendPage } from '../../pages.ts'
import { ApiError, registerApiErrorHandler, sendApiError } from '../../plugins/api-errors.ts'
import { crossSiteReason, setSessionCookie } from '../../plugins/web-session.ts'

export interface LoginDeps {
  readonly config: Config
  readonly store: Store
  /** scrypt parameters of new password hashes; tests only (cheaper than the default). */
  readonly passwordHashing?: ScryptParams | undefined
}

interface LoginBody {
  tenant?: string
  email?: string
  password?: string
}

function wantsJson(request: FastifyRequest): boolean {
  return String(request.headers['content-type'] ?? '').startsWith('application/json')
}

function tooManyAttempts(retryAfterSeconds: number): string {
  return `Too many failed attempts. Try again in ${retryAfterSeconds} seconds.`
}

const loginForm = (values: LoginBody = {}, problem?: string) =>
  html` ${problem ? html`<p class="error">${problem}</p>` : ''}
    <form method="post" action="/login">
      <label for="tenant">Organisation (tenant)</label
      ><input id="tenant" name="tenant" value="${values.tenant ?? ''}" required />
      <label for="email">Email</label
      ><input id="email" name="email" type="email" value="${values.email ?? ''}" required />
      <label for="password">Password</label
      ><input id="password" name="password" type="password" required />
      <button type="submit">Sign in</button>
    </form>
    <p>Your organisation uses single sign-on? <a href="/sso">Sign in with SSO</a>.</p>`

const passwordForm = (token: string, problem?: string) =>
  html` ${problem ? html`<p class="error">${problem}</p>` : ''}
    <form method="post" action="/login/set-password/${encodeURIComponent(token)}">
      <label for="password">New password (at least ${MIN_PASSWORD_LENGTH} characters)</label
      ><input
        id="password"
        name="password"
        type="password"
        minlength="${MIN_PASSWORD_LENGTH}"
        required
      />
      <button type="submit">Set password</button>
    </form>`

const bodySchema = {
  type: 'object',
  properties: {
    tenant: { type: 'string', maxLength: 63 },
    email: { type: 'string', maxLength: 320 },
    password: { type: 'string', maxLength: 1024 },
  },
} as const

export async function loginRoutes(app: FastifyInstance, deps: LoginDeps): Promise<void> {
  const { config, store } = deps
  const options: LocalLoginOptions = {
    localLogin: config.localLogin,
    passwordHashing: deps.passwordHashing,
  }
  await app.register(formbody, { bodyLimit: 16_384 })
  registerApiErrorHandler(app)

  app.addHook('onRequest', async (request, reply) => {
    const refused = crossSiteReason(request, config.publicUrl)
    if (!refused) return undefined
    if (wantsJson(request))
      return sendApiError(reply, new ApiError(403, 'cross_site_request', refused))
    return sendPage(
      reply,
      403,
      'Request refused',
      html`<p class="error">
        ${refused} Open the sign-in page of this site and submit the form from there.
      </p>`,
    )
  })

  app.get('/', async (_request, reply) => sendPage(reply, 200, 'Sign in', loginForm()))

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
        reply.header('retry-after', String(result.retryAfterSeconds))
        if (json) return sendApiError(reply, new ApiError(429, 'too_many_attempts', detail))
        return sendPage(reply, 429, 'Sign in', loginForm(body, detail))
      }
      case 'invalid': {
        const detail =
          'The organisation, email or password is wrong (or the account may not sign in with a password).'
        if (json) return sendApiError(reply, new ApiError(401, 'invalid_credentials', detail))
        return sendPage(reply, 401, 'Sign in', loginForm(body, detail))
      }
      case 'signedIn':
        setSessionCookie(reply, config, result.sessionId)
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
          </p>`,
        )
    }
  })

  app.get<{ Params: { token: string } }>('/set-password/:token', async (request, reply) => {
    const link = await checkSetPasswordLink(store, options, {
      token: request.params.token,
      address: request.ip,
    })
    if (link.kind === 'throttled') {
      reply.header('retry-after', String(link.retryAfterSeconds))
      return sendPage(
        reply,
        429,
        'Set your password',
        html`<p class="error">${tooManyAttempts(link.retryAfterSeconds)}</p>`,
      )
    }
    if (link.kind === 'invalidToken') {
      return sendPage(
        reply,
        410,
        'This link is no longer valid',
        html`<p class="error">
          Set-password links work once and for 24 hours. Ask the operator for a new one (<code
            >npx rollcall admin create</code
          >).
        </p>`,
      )
    }
    return sendPage(reply, 200, 'Set your password', passwordForm(request.params.token))
  })

  app.post<{ Params: { token: string }; Body: { password?: string } }>(
    '/set-password/:token',
    {
      schema: {
        body: { type: 'object', properties: { password: { type: 'string', maxLength: 2048 } } },
      },
    },
    async (request, reply) => {
      const json = wantsJson(request)
      const result = await setPasswordWithToken(store, options, {
        token: request.params.token,
        password: request.body?.password ?? '',
        address: request.ip,
      })
      switch (result.kind) {
        case 'throttled': {
          const detail = tooManyAttempts(result.retryAfterSeconds)
          reply.header('retry-after', String(result.retryAfterSeconds))
          if (json) return sendApiError(reply, new ApiError(429, 'too_many_attempts', detail))
          return sendPage(reply, 429, 'Set your password', html`<p class="error">${detail}</p>`)
        }
        case 'weakPassword':
          if (json) return sendApiError(reply, new ApiError(400, 'weak_password', result.message))
          return sendPage(
            reply,
            400,
            'Set your password',
            passwordForm(request.params.token, result.message),
          )
        case 'invalidToken':
          if (json)
            return sendApiError(
              reply,
              new ApiError(410, 'link_expired', 'This set-password link was used or has expired.'),
            )
          return sendPage(
            reply,
            410,
            'This link is no longer valid',
            html`<p class="error">Set-password links work once and for 24 hours.</p>`,
          )
        case 'set':
          if (json) return reply.code(200).send({ tenant: result.tenant, email: result.email })
          return sendPage(
            reply,
            200,
            'Password set',
            html`<p class="ok">
              Your password is set. <a href="/login">Sign in</a> to ${result.tenant} as
              ${result.email}.
            </p>`,
          )
      }
    },
  )
}
