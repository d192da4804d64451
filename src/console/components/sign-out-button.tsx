// "Sign out": ends the session on the server (POST /api/session/logout); says so if it could not.
import { useState } from 'react'
import { messageOf } from '../api/client.ts'

export function SignOutButton({ onSignOut }: { readonly onSignOut: () => Promise<void> }) {
  const [state, setState] = useState<{ isBusy: boolean; error?: string }>({ isBusy: false })
  const click = () => {
    setState({ isBusy: true })
    onSignOut().catch((error: unknown) => setState({ isBusy: false, error: messageOf(error) }))
  }
  return (
    <>
      <button type="button" className="button small" onClick={click} disabled={state.isBusy}>
        Sign out
      </button>
      {state.error ? (
        <span className="inline-error" role="alert">
          Sign-out failed: {state.error}
        </span>
      ) : null}
    </>
  )
}
