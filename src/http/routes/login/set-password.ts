// /login/set-password/:token — the one-time link of `admin create`: shows the form while the link
// is valid, and sets the password (as a form, or as JSON). Unknown links count per client address.
import type { FastifyInstance } from 'fastify'
import { AppError } from '../../../errors.ts'
import {
  checkSetPasswordLink,
  setPasswordWithToken,
  type LocalLoginOptions,
} from '../../../sessions/local-login.ts'
import type { Store } from '../../../store/store.ts'
import { html, sendPage } from '../../pages.ts'
import { passwordForm, tooManyAttempts } from './pages.ts'
import { wantsJson } from './wants-json.ts'

export interface SetPasswordRouteDeps {
  readonly store: Store
  readonly options: LocalLoginOptions
}

type TokenParams = { Params: { token: string } }

export function setPasswordRoutes(app: FastifyInstance, deps: SetPasswordRouteDeps): void {
  const { store, options } = deps

  app.get<TokenParams>('/set-password/:token', async (request, reply) => {
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

  app.post<TokenParams & { Body: { password?: string } }>(
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
          if (json) throw AppError.tooManyAttempts(detail, result.retryAfterSeconds)
          reply.header('retry-after', String(result.retryAfterSeconds))
          return sendPage(reply, 429, 'Set your password', html`<p class="error">${detail}</p>`)
        }
        case 'weakPassword':
          if (json) throw AppError.weakPassword(result.message)
          return sendPage(
            reply,
            400,
            'Set your password',
            passwordForm(request.params.token, result.message),
          )
        case 'invalidToken':
          if (json) throw AppError.linkExpired('This set-password link was used or has expired.')
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
              Your password is set. <a href="/">Sign in</a> to ${result.tenant} as ${result.email}.
            </p>`,
          )
      }
    },
  )
}
