// Signed out: local password sign-in (POST /login as JSON; the bootstrap and break-glass Admins
// of `npx rollcall admin create`) and "Sign in with SSO" (/sso, the tenant's identity provider).
import { useState, type FormEvent } from 'react'
import { messageOf } from '../api/client.ts'
import { signInWithPassword } from '../api/session.ts'
import type { SessionInfo } from '../api/types.ts'
import { Notice } from '../components/states.tsx'
import { TextField } from '../components/text-field.tsx'
import { usePageTitle } from '../page-title.ts'

const LAST_TENANT = 'rollcall.lastTenant'

function lastTenant(): string {
  try {
    return window.localStorage.getItem(LAST_TENANT) ?? ''
  } catch {
    return ''
  }
}

export interface SignInPageProps {
  readonly notice?: string
  readonly onSignedIn: (session: SessionInfo) => void
}

export function SignInPage({ notice, onSignedIn }: SignInPageProps) {
  usePageTitle('Sign in')
  const [tenant, setTenant] = useState(lastTenant)
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [state, setState] = useState<{ isBusy: boolean; error?: string }>({ isBusy: false })

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setState({ isBusy: true })
    signInWithPassword({ tenant: tenant.trim(), email: email.trim(), password }).then(
      (session) => {
        try {
          window.localStorage.setItem(LAST_TENANT, session.tenant)
        } catch {
          // Storage may be disabled; the field is then simply empty next time.
        }
        onSignedIn(session)
      },
      (error: unknown) => setState({ isBusy: false, error: messageOf(error) }),
    )
  }

  return (
    <main className="centered">
      <div className="card sign-in">
        <h1>Sign in to Rollcall</h1>
        {notice ? <Notice kind="ok">{notice}</Notice> : null}
        <form onSubmit={submit} aria-busy={state.isBusy}>
          <TextField
            label="Organisation (tenant)"
            value={tenant}
            onChange={setTenant}
            name="tenant"
            autoComplete="organization"
            autoCapitalize="none"
            spellCheck={false}
            required
            hint="Its short name in Rollcall, e.g. acme."
          />
          <TextField
            label="Email"
            type="email"
            value={email}
            onChange={setEmail}
            name="email"
            autoComplete="username"
            required
          />
          <TextField
            label="Password"
            type="password"
            value={password}
            onChange={setPassword}
            name="password"
            autoComplete="current-password"
            required
          />
          {state.error ? <Notice kind="error">{state.error}</Notice> : null}
          <button type="submit" className="button primary wide" disabled={state.isBusy}>
            {state.isBusy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p className="or">
          <span>or</span>
        </p>
        <a className="button wide" href="/sso">
          Sign in with SSO
        </a>
        <p className="hint">
          First time here? The operator gives you a one-time link to set your password:{' '}
          <code>npx rollcall admin create --tenant &lt;tenant&gt; --email &lt;you&gt;</code>.
        </p>
      </div>
    </main>
  )
}
