// New Connection (seed 003: Login connection → New Connection → OpenID Connect → the Setup
// fields → Create). On success the connection's Setup tab shows its redirect URI and login URL.
import { useState } from 'react'
import { createConnection } from '../api/connections.ts'
import { usePageTitle } from '../page-title.ts'
import { Link, navigate } from '../router.tsx'
import { ConnectionForm } from './connection-form.tsx'

export function NewConnectionPage({ tenant }: { readonly tenant: string }) {
  usePageTitle('New connection')
  const [protocol, setProtocol] = useState<'oidc' | undefined>()
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/connections">Enterprise Connection</Link> <span aria-hidden="true">›</span>{' '}
        <span aria-current="page">New connection</span>
      </nav>
      <div className="page-header">
        <h1>New connection</h1>
      </div>
      {protocol === undefined ? (
        <section aria-labelledby="protocol-heading" className="panel">
          <h2 id="protocol-heading">Choose a protocol</h2>
          <ul className="choices">
            <li>
              <button type="button" className="choice" onClick={() => setProtocol('oidc')}>
                <span className="choice-title">OpenID Connect</span>
                <span className="choice-text">
                  Microsoft Entra ID, Okta, Google Workspace, OneLogin or any OpenID Provider.
                </span>
              </button>
            </li>
          </ul>
        </section>
      ) : (
        <section aria-labelledby="setup-heading" className="panel">
          <h2 id="setup-heading">OpenID Connect: setup</h2>
          <ConnectionForm
            submitLabel="Create"
            onSubmit={async (input) => {
              const created = await createConnection(tenant, input)
              navigate(`/connections/${encodeURIComponent(created.id)}/setup?created=1`)
            }}
          >
            <button type="button" className="button" onClick={() => setProtocol(undefined)}>
              Back
            </button>
          </ConnectionForm>
        </section>
      )}
    </>
  )
}
