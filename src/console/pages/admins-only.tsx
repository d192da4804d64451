// What a member who is not an Admin (Editor, Viewer) sees: the console is for Admins only.
import type { SessionInfo } from '../api/types.ts'
import { SignOutButton } from '../components/sign-out-button.tsx'
import { usePageTitle } from '../page-title.ts'

export interface AdminsOnlyPageProps {
  readonly session: SessionInfo
  readonly onSignOut: () => Promise<void>
}

export function AdminsOnlyPage({ session, onSignOut }: AdminsOnlyPageProps) {
  usePageTitle('Admins only')
  return (
    <main className="centered">
      <div className="card">
        <h1>The console is for Admins</h1>
        <p>
          You are signed in to <strong>{session.tenant}</strong> as {session.email}, with the role{' '}
          <strong>{session.role}</strong>. Only Admins of a tenant manage its users, groups, domains
          and connections here.
        </p>
        <p>
          If you need to, ask an Admin of {session.tenant} to give you the Admin role, then sign in
          again.
        </p>
        <div className="actions">
          <SignOutButton onSignOut={onSignOut} />
        </div>
      </div>
    </main>
  )
}
