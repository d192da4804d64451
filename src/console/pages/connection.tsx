// One login connection (seed 003): the Setup tab (its redirect URI and login URL to copy, its
// settings, delete) and the Verification tab (Verify connection → the IdP → back; the outcomes of
// past verifications from the sign-in log).
import { useState } from 'react'
import { messageOf } from '../api/client.ts'
import {
  deleteConnection,
  editConnection,
  getConnection,
  listSignInLog,
  startVerification,
} from '../api/connections.ts'
import type { ConnectionView } from '../api/types.ts'
import { Badge } from '../components/badge.tsx'
import { ConfirmDialog } from '../components/confirm-dialog.tsx'
import { CopyField } from '../components/copy-field.tsx'
import { Empty, Failed, Loading, Notice } from '../components/states.tsx'
import { Tabs } from '../components/tabs.tsx'
import { formatDateTime } from '../format.ts'
import { usePageTitle } from '../page-title.ts'
import { Link, navigate } from '../router.tsx'
import { useResource } from '../use-resource.ts'
import { ConnectionForm } from './connection-form.tsx'

export type ConnectionTab = 'setup' | 'verification'

export interface ConnectionPageProps {
  readonly tenant: string
  readonly id: string
  readonly tab: ConnectionTab
}

const TABS = [
  { key: 'setup', label: 'Setup' },
  { key: 'verification', label: 'Verification' },
] as const

export function ConnectionPage({ tenant, id, tab }: ConnectionPageProps) {
  const [connection, { reload, update }] = useResource(
    () => getConnection(tenant, id),
    [tenant, id],
  )
  const [isCreated] = useState(() => new URLSearchParams(window.location.search).has('created'))
  usePageTitle(connection.kind === 'loaded' ? connection.value.name : 'Connection')
  const base = `/connections/${encodeURIComponent(id)}`

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/connections">Enterprise Connection</Link> <span aria-hidden="true">›</span>{' '}
        <span aria-current="page">
          {connection.kind === 'loaded' ? connection.value.name : 'Connection'}
        </span>
      </nav>
      {connection.kind === 'loading' ? <Loading what="the connection" /> : null}
      {connection.kind === 'failed' ? (
        <>
          <h1>Connection</h1>
          <Failed message={connection.message} onRetry={reload} />
        </>
      ) : null}
      {connection.kind === 'loaded' ? (
        <>
          <div className="page-header">
            <h1>
              {connection.value.name}{' '}
              {connection.value.status === 'verified' ? (
                <Badge tone="ok">Verified</Badge>
              ) : (
                <Badge tone="pending">Not verified</Badge>
              )}
            </h1>
            <p className="lead">OpenID Connect · {connection.value.issuer}</p>
          </div>
          {isCreated && tab === 'setup' ? (
            <Notice kind="ok">
              Connection created. Register the redirect URI below at your identity provider, then
              verify the connection on the Verification tab.
            </Notice>
          ) : null}
          <Tabs
            label="Connection"
            tabs={TABS}
            selected={tab}
            onSelect={(key) => navigate(`${base}/${key}`)}
          >
            {tab === 'setup' ? (
              <SetupTab
                tenant={tenant}
                connection={connection.value}
                onSaved={(saved) => update(() => saved)}
              />
            ) : (
              <VerificationTab tenant={tenant} connection={connection.value} />
            )}
          </Tabs>
        </>
      ) : null}
    </>
  )
}

function SetupTab({
  tenant,
  connection,
  onSaved,
}: {
  readonly tenant: string
  readonly connection: ConnectionView
  readonly onSaved: (connection: ConnectionView) => void
}) {
  const [isConfirming, setConfirming] = useState(false)
  const [deletion, setDeletion] = useState<{ isBusy: boolean; error?: string }>({ isBusy: false })
  const remove = () => {
    setDeletion({ isBusy: true })
    deleteConnection(tenant, connection.id).then(
      () => navigate('/connections'),
      (error: unknown) => {
        setConfirming(false)
        setDeletion({ isBusy: false, error: messageOf(error) })
      },
    )
  }
  return (
    <>
      <section aria-labelledby="urls-heading" className="panel">
        <h2 id="urls-heading">URLs</h2>
        <CopyField
          label="Redirect URI"
          value={connection.redirectUri}
          name="redirect-uri"
          hint="Register it at the identity provider (Entra ID: App registrations → your app → Authentication → Web → Redirect URIs)."
        />
        <CopyField
          label="Login URL"
          value={connection.loginUrl}
          name="login-url"
          hint="Signs people in through this connection. Send it to someone who is a member of another tenant to bring them here."
        />
      </section>
      <section aria-labelledby="settings-heading" className="panel">
        <h2 id="settings-heading">Settings</h2>
        <ConnectionForm
          key={connection.updatedAt}
          existing={connection}
          submitLabel="Save changes"
          onSubmit={async (input) => onSaved(await editConnection(tenant, connection.id, input))}
        />
      </section>
      <section aria-labelledby="delete-heading" className="panel danger-zone">
        <h2 id="delete-heading">Delete this connection</h2>
        <p>Nobody can sign in through it afterwards, its login URL included.</p>
        {deletion.error ? <Notice kind="error">{deletion.error}</Notice> : null}
        <button type="button" className="button danger" onClick={() => setConfirming(true)}>
          Delete connection
        </button>
      </section>
      <ConfirmDialog
        open={isConfirming}
        title={`Delete “${connection.name}”?`}
        confirmLabel="Delete connection"
        isBusy={deletion.isBusy}
        onConfirm={remove}
        onCancel={() => setConfirming(false)}
      >
        <p>
          People who sign in through {connection.domain} or this connection's login URL can no
          longer do so. This cannot be undone.
        </p>
      </ConfirmDialog>
    </>
  )
}

const VERIFICATION_OUTCOMES = new Set(['verified', 'verification-failed'])

function VerificationTab({
  tenant,
  connection,
}: {
  readonly tenant: string
  readonly connection: ConnectionView
}) {
  const [state, setState] = useState<{ isBusy: boolean; error?: string }>({ isBusy: false })
  const [log, { reload }] = useResource(() => listSignInLog(tenant), [tenant])
  const attempts =
    log.kind === 'loaded'
      ? log.value.filter(
          (entry) =>
            entry.connectionId === connection.id && VERIFICATION_OUTCOMES.has(entry.outcome),
        )
      : []
  const verify = () => {
    setState({ isBusy: true })
    startVerification(tenant, connection.id).then(
      ({ url }) => window.location.assign(url),
      (error: unknown) => setState({ isBusy: false, error: messageOf(error) }),
    )
  }
  const isVerified = connection.status === 'verified'
  return (
    <>
      <section aria-labelledby="verify-heading" className="panel">
        <h2 id="verify-heading">Verification</h2>
        {isVerified ? (
          <Notice kind="ok">
            Verified {formatDateTime(connection.verifiedAt)}. People can sign in through this
            connection.
          </Notice>
        ) : (
          <p className="notice warning">
            Not verified yet: nobody can sign in through this connection, and SCIM provisioning
            cannot be enabled, until it is.
          </p>
        )}
        <p>
          <strong>Verify connection</strong> sends you to your identity provider to sign in, then
          back to Rollcall, which shows the claims it received and what a sign-in with them would
          do. Register the redirect URI (Setup tab) at the identity provider first.
        </p>
        {state.error ? <Notice kind="error">{state.error}</Notice> : null}
        <button type="button" className="button primary" onClick={verify} disabled={state.isBusy}>
          {state.isBusy
            ? 'Opening the identity provider…'
            : isVerified
              ? 'Verify again'
              : 'Verify connection'}
        </button>
      </section>
      <section aria-labelledby="attempts-heading" className="panel">
        <h2 id="attempts-heading">Recent verifications</h2>
        {log.kind === 'loading' ? <Loading what="the sign-in log" /> : null}
        {log.kind === 'failed' ? <Failed message={log.message} onRetry={reload} /> : null}
        {log.kind === 'loaded' && attempts.length === 0 ? (
          <Empty title="No verification yet">The outcome of each one will be listed here.</Empty>
        ) : null}
        {attempts.length > 0 ? (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Outcome</th>
                <th scope="col">Signed in as</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {attempts.map((entry) => (
                <tr key={entry.id}>
                  <td>{formatDateTime(entry.at)}</td>
                  <td>
                    {entry.outcome === 'verified' ? (
                      <Badge tone="ok">Verified</Badge>
                    ) : (
                      <Badge tone="error">Failed</Badge>
                    )}
                  </td>
                  <td>{entry.email ?? '—'}</td>
                  <td className="detail">{entry.detail ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </>
  )
}
