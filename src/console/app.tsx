// The console's top level: who is signed in (GET /api/session) decides between the sign-in page,
// the page for members who are not Admins, and the app shell with its pages.
import { useCallback, useEffect, useState } from 'react'
import { messageOf, whenUnauthenticated } from './api/client.ts'
import { fetchSession, signOut } from './api/session.ts'
import type { SessionInfo } from './api/types.ts'
import { Failed, Loading } from './components/states.tsx'
import { AdminsOnlyPage } from './pages/admins-only.tsx'
import { SignInPage } from './pages/sign-in.tsx'
import { Shell } from './shell.tsx'

type SessionState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'signedOut'; readonly notice?: string }
  | { readonly kind: 'signedIn'; readonly session: SessionInfo }

export function App() {
  const [state, setState] = useState<SessionState>({ kind: 'loading' })
  const [round, setRound] = useState(0)

  useEffect(() => {
    let isCurrent = true
    fetchSession().then(
      (session) =>
        isCurrent && setState(session ? { kind: 'signedIn', session } : { kind: 'signedOut' }),
      (error: unknown) => isCurrent && setState({ kind: 'failed', message: messageOf(error) }),
    )
    return () => {
      isCurrent = false
    }
  }, [round])

  useEffect(
    () =>
      whenUnauthenticated(() =>
        setState({ kind: 'signedOut', notice: 'Your session has ended. Sign in again.' }),
      ),
    [],
  )

  const endSession = useCallback(async () => {
    await signOut()
    setState({ kind: 'signedOut', notice: 'You are signed out.' })
  }, [])

  switch (state.kind) {
    case 'loading':
      return (
        <main className="centered">
          <Loading what="the console" />
        </main>
      )
    case 'failed':
      return (
        <main className="centered">
          <h1>The console could not start</h1>
          <Failed
            message={state.message}
            onRetry={() => {
              setState({ kind: 'loading' })
              setRound((r) => r + 1)
            }}
          />
        </main>
      )
    case 'signedOut':
      return (
        <SignInPage
          {...(state.notice ? { notice: state.notice } : {})}
          onSignedIn={(session) => setState({ kind: 'signedIn', session })}
        />
      )
    case 'signedIn':
      return state.session.role === 'Admin' ? (
        <Shell session={state.session} onSignOut={endSession} />
      ) : (
        <AdminsOnlyPage session={state.session} onSignOut={endSession} />
      )
  }
}
