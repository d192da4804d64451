// Enterprise Connection (SPEC §4, seed 003 "Administration → Enterprise Connection"): the
// tenant's login connections, and New Connection.
import { listConnections } from '../api/connections.ts'
import { Badge } from '../components/badge.tsx'
import { Empty, Failed, Loading } from '../components/states.tsx'
import { formatDateTime } from '../format.ts'
import { usePageTitle } from '../page-title.ts'
import { Link } from '../router.tsx'
import { useResource } from '../use-resource.ts'

export function ConnectionsPage({ tenant }: { readonly tenant: string }) {
  usePageTitle('Enterprise Connection')
  const [connections, { reload }] = useResource(() => listConnections(tenant), [tenant])
  return (
    <>
      <div className="page-header with-action">
        <div>
          <h1>Enterprise Connection</h1>
          <p className="lead">
            Login connections let your people sign in with your identity provider (Microsoft Entra
            ID, Okta, Google…) over OpenID Connect. Create one, register its redirect URI at the
            identity provider, then verify it.
          </p>
        </div>
        <Link to="/connections/new" className="button primary">
          New connection
        </Link>
      </div>
      <section aria-labelledby="connections-heading">
        <h2 id="connections-heading">Login connections</h2>
        {connections.kind === 'loading' ? <Loading what="connections" /> : null}
        {connections.kind === 'failed' ? (
          <Failed message={connections.message} onRetry={reload} />
        ) : null}
        {connections.kind === 'loaded' && connections.value.length === 0 ? (
          <Empty title="No login connection yet">
            <Link to="/connections/new">Create one</Link> to let your people sign in with your
            identity provider. SCIM provisioning needs a verified connection.
          </Empty>
        ) : null}
        {connections.kind === 'loaded' && connections.value.length > 0 ? (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Protocol</th>
                <th scope="col">Identity provider domain</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {connections.value.map((connection) => (
                <tr key={connection.id} data-connection={connection.id}>
                  <td>
                    <Link to={`/connections/${encodeURIComponent(connection.id)}`}>
                      {connection.name}
                    </Link>
                  </td>
                  <td>OpenID Connect</td>
                  <td>{connection.domain}</td>
                  <td>
                    {connection.status === 'verified' ? (
                      <Badge tone="ok">Verified</Badge>
                    ) : (
                      <Badge tone="pending">Not verified</Badge>
                    )}
                  </td>
                  <td>{formatDateTime(connection.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </>
  )
}
