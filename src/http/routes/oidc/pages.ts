// The pages of the host application's sign-in at /oidc: why it cannot go on, and what to do.
import type { SignInRoute } from '../../../identity-provider/routing.ts'
import type { ProviderPages } from '../../../identity-provider/provider.ts'
import { Html, html, page } from '../../pages.ts'
import type { SsoPage } from '../sso/pages.ts'

export const notFoundBody = html`<p>There is no page here.</p>`

export const expiredInteractionPage: SsoPage = {
  status: 400,
  title: 'This sign-in cannot be completed',
  body: html`<p class="error">
      The sign-in request is unknown or has expired (after an hour), or cookies are blocked.
    </p>
    <p>Go back to the application and sign in again.</p>`,
}

export function noTenantPage(reason: Extract<SignInRoute, { kind: 'unknown' }>['reason']): SsoPage {
  const what =
    reason === 'unknownTenant'
      ? 'The application asked for an organisation that Rollcall does not know.'
      : reason === 'unknownDomain'
        ? 'No organisation has verified the domain of your email address for sign-in.'
        : 'The application did not say who is signing in (no email address, no organisation).'
  return {
    status: 404,
    title: 'No organisation found',
    body: html`<p class="error">${what}</p>
      <p>
        Check the email address you gave the application. If it is right, ask your administrator to
        set up single sign-on for your organisation's domain.
      </p>`,
  }
}

export function wrongTenantPage(signedIn: string, wanted: string): SsoPage {
  return {
    status: 403,
    title: 'Signed in to another organisation',
    body: html`<p class="error">
        You signed in to <strong>${signedIn}</strong>, but the application asked for
        <strong>${wanted}</strong>. Nobody is signed in to the application.
      </p>
      <p>Go back to the application and sign in with an account of ${wanted}.</p>`,
  }
}

/** The pages oidc-provider shows the person, in Rollcall's look. */
export const providerPages: ProviderPages = {
  error: oidcErrorPage,
  signOut: (form) =>
    page(
      'Sign out',
      html`${new Html(form)}
        <p>Sign out of the application and of Rollcall on this browser?</p>
        <button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>
          Yes, sign me out
        </button>
        <button type="submit" form="op.logoutForm">No, stay signed in</button>`,
    ),
  signedOut: () =>
    page('Signed out', html`<p class="ok">You are signed out. You can close this page.</p>`),
}

/** The page of an error oidc-provider shows the person instead of redirecting to the app. */
function oidcErrorPage(error: { error: string; error_description?: string }): string {
  return page(
    'The application’s sign-in request was refused',
    html`<p class="error">
        <strong>${error.error}</strong>${
          error.error_description ? html` — ${error.error_description}` : ''
        }
      </p>
      <p>
        Go back to the application and try again. If this keeps happening, tell the application’s
        operator (a redirect URI or client may not be registered in Rollcall).
      </p>`,
  )
}
