// The HTML of the SSO scope: the "Sign in with SSO" form, the pages that explain why a sign-in
// cannot start, and the pages of the callback's outcomes. Each says what happened and what to do.
import { describeDecision, refusalMessage } from '../../../domain/sign-in-rules.ts'
import type { CallbackOutcome } from '../../../sso/callback.ts'
import { displayClaims } from '../../../sso/claims.ts'
import type { LoginConnectionRecord } from '../../../store/store.ts'
import { html, type Html } from '../../pages.ts'

/** A page to send: its status, title and body. */
export interface SsoPage {
  readonly status: number
  readonly title: string
  readonly body: Html
}

export const ssoForm = (value = '', problem?: string) =>
  html` ${problem ? html`<p class="error">${problem}</p>` : ''}
    <form method="get" action="/sso">
      <label for="q">Your work email, or your organisation's identity provider domain</label>
      <input id="q" name="q" value="${value}" placeholder="you@contoso.com" autofocus required />
      <button type="submit">Continue</button>
    </form>`

export const notFoundBody = html`<p>There is no page here. <a href="/sso">Sign in with SSO</a>.</p>`

export function unknownDomainPage(q: string, domain: string): SsoPage {
  return {
    status: 404,
    title: 'Sign in with SSO',
    body: ssoForm(
      q,
      `No organisation uses “${domain}” for single sign-on. Check the spelling, or ask your administrator for your organisation's login URL.`,
    ),
  }
}

export function notReadyPage(connection: LoginConnectionRecord): SsoPage {
  return {
    status: 403,
    title: 'Single sign-on is not ready yet',
    body: html`<p class="error">
        The sign-in connection “${connection.name}” has not been verified by your administrator yet,
        so nobody can sign in through it.
      </p>
      <p>
        Administrator: verify the connection (<code>npx rollcall connection verify</code>, or
        <code>POST /api/tenants/&lt;slug&gt;/connections/&lt;id&gt;/verify</code>), then try again.
      </p>`,
  }
}

export function idpUnreachablePage(description: string, fix: string): SsoPage {
  return {
    status: 502,
    title: 'The identity provider could not be reached',
    body: html`<p class="error">${description}</p>
      <p>${fix}</p>`,
  }
}

export const unknownLoginUrlPage: SsoPage = {
  status: 404,
  title: 'Unknown login URL',
  body: html`<p class="error">
    This login URL does not lead to any sign-in connection (it may have been deleted). Ask your
    administrator for the current one, or <a href="/sso">sign in with your email</a>.
  </p>`,
}

export const expiredVerificationLinkPage: SsoPage = {
  status: 410,
  title: 'This verification link is no longer valid',
  body: html`<p class="error">Verification links work once and for 10 minutes.</p>
    <p>
      Create a new one:
      <code>npx rollcall connection verify --tenant &lt;slug&gt; --id &lt;connection id&gt;</code>
    </p>`,
}

/** The way back from a verification round trip: the connection's Verification tab. */
const backToConnection = (id: string) =>
  html`<p><a href="/connections/${encodeURIComponent(id)}/verification">Back to the console</a></p>`

/** The page of each callback outcome but `signedIn` (which also sets the session cookie). */
export function callbackPage(outcome: Exclude<CallbackOutcome, { kind: 'signedIn' }>): SsoPage {
  switch (outcome.kind) {
    case 'invalidState':
      return {
        status: 400,
        title: 'This sign-in cannot be completed',
        body: html`<p class="error">
            The sign-in request is unknown, has expired (after 10 minutes), was already used, or was
            started in another browser.
          </p>
          <p><a href="/sso">Start again</a>.</p>`,
      }
    case 'failed': {
      const verifying = outcome.purpose === 'verify'
      return {
        status: 502,
        title: verifying ? 'Verification failed' : 'Sign-in failed',
        body: html`<p class="error">
            The identity provider answered:
            <strong>${outcome.error}</strong
            >${outcome.description ? html` — ${outcome.description}` : ''}
          </p>
          <p><strong>What to fix:</strong> ${outcome.fix}</p>
          ${verifying ? html`<p>The connection${outcome.connection ? html` “${outcome.connection.name}”` : ''} stays unverified. Fix the settings, then verify again.</p>` : html`<p>If this keeps happening, tell your administrator.</p>`}
          ${verifying && outcome.connection ? backToConnection(outcome.connection.id) : ''}`,
      }
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
      return {
        status: 200,
        title: 'Connection verified',
        body: html`<p class="ok">
            The connection “${outcome.connection.name}” works: the identity provider signed you in
            and its ID token passed validation. It is now <strong>verified</strong>; users can sign
            in through its login URL.
          </p>
          <h2>What a sign-in with this account would do</h2>
          <p class="${refused ? 'error' : 'ok'}" id="decision" data-kind="${outcome.decision.kind}">
            ${describeDecision(outcome.decision)}
          </p>
          <h2>Claims received</h2>
          <table>
            <tr>
              <th>claim</th>
              <th>value</th>
            </tr>
            ${rows}
          </table>
          ${backToConnection(outcome.connection.id)}`,
      }
    }
    case 'notVerified':
      return {
        status: 403,
        title: 'Single sign-on is not ready yet',
        body: html`<p class="error">
          The sign-in connection “${outcome.connection.name}” is not verified (it was changed
          since). Ask your administrator to verify it again.
        </p>`,
      }
    case 'refused':
      return {
        status: 403,
        title: 'You cannot sign in here',
        body: html`<p class="error" data-reason="${outcome.decision.reason}">
          ${refusalMessage(outcome.decision.reason, outcome.decision.email)}
        </p>`,
      }
  }
}

export function signedInPage(outcome: Extract<CallbackOutcome, { kind: 'signedIn' }>): SsoPage {
  const moved =
    outcome.decision.kind === 'transfer'
      ? html`<p>You are now also a member of this organisation.</p>`
      : ''
  return {
    status: 200,
    title: 'Signed in',
    body: html`<p class="ok">
        You are signed in to <strong>${outcome.tenantSlug}</strong> as ${outcome.decision.email}
        (${outcome.decision.role}).
      </p>
      ${moved}
      <p><a href="/">Continue to the console</a></p>`,
  }
}
