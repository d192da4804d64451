// The HTML of local sign-in: the sign-in form and the set-password form, each with an optional
// problem above it.
import { MIN_PASSWORD_LENGTH } from '../../../sessions/local-login.ts'
import { html } from '../../pages.ts'

export interface LoginBody {
  tenant?: string
  email?: string
  password?: string
}

export function tooManyAttempts(retryAfterSeconds: number): string {
  return `Too many failed attempts. Try again in ${retryAfterSeconds} seconds.`
}

export const loginForm = (values: LoginBody = {}, problem?: string) =>
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

export const passwordForm = (token: string, problem?: string) =>
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
