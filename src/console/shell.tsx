// The signed-in Admin's frame: a header (tenant, user, sign-out), the navigation, and the page of
// the current path.
import { useEffect, type ReactNode } from 'react'
import type { SessionInfo } from './api/types.ts'
import { SignOutButton } from './components/sign-out-button.tsx'
import { HOME, NAVIGATION } from './navigation.ts'
import { ConnectionPage } from './pages/connection.tsx'
import { ConnectionsPage } from './pages/connections.tsx'
import { DomainsPage } from './pages/domains.tsx'
import { GroupPage } from './pages/group.tsx'
import { GroupsPage } from './pages/groups.tsx'
import { HandBackPage } from './pages/hand-back.tsx'
import { NewConnectionPage } from './pages/new-connection.tsx'
import { NotFoundPage } from './pages/not-found.tsx'
import { ProvisioningLogPage } from './pages/provisioning-log.tsx'
import { RolesPage } from './pages/roles.tsx'
import { ScimSettingsPage } from './pages/scim-settings.tsx'
import { UsersPage } from './pages/users.tsx'
import { Link, matchPath, navigate, usePath } from './router.tsx'

export interface ShellProps {
  readonly session: SessionInfo
  readonly onSignOut: () => Promise<void>
}

function pageFor(path: string, tenant: string): ReactNode {
  if (matchPath('/domains', path)) return <DomainsPage tenant={tenant} />
  if (matchPath('/users', path)) return <UsersPage tenant={tenant} />
  if (matchPath('/groups', path)) return <GroupsPage tenant={tenant} />
  const group = matchPath('/groups/:id', path)
  if (group?.id) return <GroupPage key={group.id} tenant={tenant} id={group.id} />
  if (matchPath('/roles', path)) return <RolesPage tenant={tenant} />
  if (matchPath('/hand-back', path)) return <HandBackPage tenant={tenant} />
  if (matchPath('/connections', path)) return <ConnectionsPage tenant={tenant} />
  if (matchPath('/connections/new', path)) return <NewConnectionPage tenant={tenant} />
  if (matchPath('/settings', path) || matchPath('/settings/scim', path)) {
    return <ScimSettingsPage tenant={tenant} />
  }
  if (matchPath('/provisioning-log', path)) return <ProvisioningLogPage tenant={tenant} />
  const connection = matchPath('/connections/:id', path) ?? matchPath('/connections/:id/:tab', path)
  if (connection?.id) {
    const tab = connection.tab ?? 'setup'
    if (tab === 'setup' || tab === 'verification') {
      return <ConnectionPage key={connection.id} tenant={tenant} id={connection.id} tab={tab} />
    }
  }
  return <NotFoundPage />
}

function isCurrent(itemPath: string, path: string): boolean {
  return path === itemPath || path.startsWith(`${itemPath}/`)
}

export function Shell({ session, onSignOut }: ShellProps) {
  const path = usePath()
  useEffect(() => {
    if (path === '/') navigate(HOME, { replace: true })
  }, [path])

  return (
    <div className="shell">
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="topbar">
        <Link to={HOME} className="brand">
          Rollcall
        </Link>
        <div className="who">
          <span className="tenant" title="Tenant">
            <span className="visually-hidden">Tenant: </span>
            {session.tenant}
          </span>
          <span className="user">
            <span className="visually-hidden">Signed in as </span>
            {session.email} <span className="role">({session.role})</span>
          </span>
          <SignOutButton onSignOut={onSignOut} />
        </div>
      </header>
      <div className="body">
        <nav className="sidebar" aria-label="Console">
          {NAVIGATION.map((section) => (
            <div key={section.label} className="nav-section">
              <h2 className="nav-heading">{section.label}</h2>
              <ul>
                {section.items.map((item) => (
                  <li key={item.path}>
                    <Link
                      to={item.path}
                      className="nav-link"
                      aria-current={isCurrent(item.path, path) ? 'page' : undefined}
                    >
                      {item.label}
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
        <main id="content" className="content" tabIndex={-1}>
          {path === '/' ? null : pageFor(path, session.tenant)}
        </main>
      </div>
    </div>
  )
}
