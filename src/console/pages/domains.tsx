// Domains (SPEC §1 D10, D11): the email domains the tenant proves it owns. Adding one gives the
// DNS TXT record to publish; Verify looks it up. Only verified domains let people join by
// sign-in and route "Sign in with SSO" to the tenant's connection.
import { useState, type FormEvent } from 'react'
import { messageOf } from '../api/client.ts'
import { addDomain, listDomains, removeDomain, verifyDomain } from '../api/domains.ts'
import type { DomainView } from '../api/types.ts'
import { Badge } from '../components/badge.tsx'
import { ConfirmDialog } from '../components/confirm-dialog.tsx'
import { CopyField } from '../components/copy-field.tsx'
import { Empty, Failed, Loading, Notice } from '../components/states.tsx'
import { TextField } from '../components/text-field.tsx'
import { formatDateTime } from '../format.ts'
import { usePageTitle } from '../page-title.ts'
import { useResource } from '../use-resource.ts'

type Outcome = { readonly kind: 'ok' | 'error'; readonly text: string }

export function DomainsPage({ tenant }: { readonly tenant: string }) {
  usePageTitle('Domains')
  const [domains, { reload, update }] = useResource(() => listDomains(tenant), [tenant])
  const [outcome, setOutcome] = useState<Outcome | undefined>()
  const [toRemove, setToRemove] = useState<string | undefined>()
  const [isRemoving, setRemoving] = useState(false)

  const list = domains.kind === 'loaded' ? domains.value : []
  const put = (domain: DomainView) =>
    update((current) =>
      current.some((d) => d.domain === domain.domain)
        ? current.map((d) => (d.domain === domain.domain ? domain : d))
        : [...current, domain],
    )

  const remove = () => {
    const domain = toRemove
    if (!domain) return
    setRemoving(true)
    removeDomain(tenant, domain).then(
      () => {
        update((current) => current.filter((d) => d.domain !== domain))
        setOutcome({ kind: 'ok', text: `${domain} was removed.` })
        setToRemove(undefined)
        setRemoving(false)
      },
      (error: unknown) => {
        setOutcome({ kind: 'error', text: messageOf(error) })
        setToRemove(undefined)
        setRemoving(false)
      },
    )
  }

  return (
    <>
      <div className="page-header">
        <h1>Domains</h1>
        <p className="lead">
          Prove that your organisation owns the email domains of its people. Only people with an
          email in a verified domain can join by signing in, and “Sign in with SSO” leads only to
          connections whose domain is verified.
        </p>
      </div>

      <AddDomainForm
        tenant={tenant}
        onAdded={(domain) => {
          put(domain)
          setOutcome({
            kind: 'ok',
            text: `${domain.domain} was added. Publish its TXT record, then verify it.`,
          })
        }}
      />

      {outcome ? <Notice kind={outcome.kind}>{outcome.text}</Notice> : null}

      <section aria-labelledby="domains-heading">
        <h2 id="domains-heading">Your domains</h2>
        {domains.kind === 'loading' ? <Loading what="domains" /> : null}
        {domains.kind === 'failed' ? <Failed message={domains.message} onRetry={reload} /> : null}
        {domains.kind === 'loaded' && list.length === 0 ? (
          <Empty title="No domain yet">
            Add the email domain of your organisation, e.g. <code>contoso.com</code>, above.
          </Empty>
        ) : null}
        {list.length > 0 ? (
          <ul className="domain-list">
            {[...list]
              .sort((a, b) => a.domain.localeCompare(b.domain))
              .map((domain) => (
                <DomainItem
                  key={domain.domain}
                  tenant={tenant}
                  domain={domain}
                  onVerified={(verified) => {
                    put(verified)
                    setOutcome({ kind: 'ok', text: `${verified.domain} is verified.` })
                  }}
                  onRemove={() => setToRemove(domain.domain)}
                />
              ))}
          </ul>
        ) : null}
      </section>

      <ConfirmDialog
        open={toRemove !== undefined}
        title={`Remove ${toRemove ?? ''}?`}
        confirmLabel="Remove domain"
        isBusy={isRemoving}
        onConfirm={remove}
        onCancel={() => setToRemove(undefined)}
      >
        <p>
          People with an email in this domain can then no longer join this tenant by signing in, and
          another tenant may verify it. Connections that use it stop receiving “Sign in with SSO”.
        </p>
      </ConfirmDialog>
    </>
  )
}

function AddDomainForm({
  tenant,
  onAdded,
}: {
  readonly tenant: string
  readonly onAdded: (domain: DomainView) => void
}) {
  const [value, setValue] = useState('')
  const [state, setState] = useState<{ isBusy: boolean; error?: string }>({ isBusy: false })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    setState({ isBusy: true })
    addDomain(tenant, value.trim()).then(
      (domain) => {
        setValue('')
        setState({ isBusy: false })
        onAdded(domain)
      },
      (error: unknown) => setState({ isBusy: false, error: messageOf(error) }),
    )
  }
  return (
    <form className="panel inline-form" onSubmit={submit} aria-label="Add a domain">
      <TextField
        label="Domain"
        value={value}
        onChange={setValue}
        name="domain"
        placeholder="contoso.com"
        autoCapitalize="none"
        spellCheck={false}
        required
        hint="The part after the @ in your people's email addresses."
      />
      <button type="submit" className="button primary" disabled={state.isBusy}>
        {state.isBusy ? 'Adding…' : 'Add domain'}
      </button>
      {state.error ? <Notice kind="error">{state.error}</Notice> : null}
    </form>
  )
}

function verifiedHow(domain: DomainView): string {
  const when = formatDateTime(domain.verifiedAt)
  if (domain.verifiedMethod === 'dns') return `by DNS, ${when}`
  if (domain.verifiedMethod === 'operator') return `by the operator, ${when}`
  return when
}

function DomainItem({
  tenant,
  domain,
  onVerified,
  onRemove,
}: {
  readonly tenant: string
  readonly domain: DomainView
  readonly onVerified: (domain: DomainView) => void
  readonly onRemove: () => void
}) {
  const [state, setState] = useState<{ isBusy: boolean; error?: string }>({ isBusy: false })
  const isVerified = domain.status === 'verified'
  const verify = () => {
    setState({ isBusy: true })
    verifyDomain(tenant, domain.domain).then(
      (verified) => {
        setState({ isBusy: false })
        onVerified(verified)
      },
      (error: unknown) => setState({ isBusy: false, error: messageOf(error) }),
    )
  }
  const headingId = `domain-${domain.domain.replaceAll('.', '-')}`
  return (
    <li className="panel domain" aria-labelledby={headingId} data-domain={domain.domain}>
      <div className="domain-head">
        <h3 id={headingId}>{domain.domain}</h3>
        <Badge tone={isVerified ? 'ok' : 'pending'}>{isVerified ? 'Verified' : 'Pending'}</Badge>
        <span className="meta">
          {isVerified
            ? `Verified ${verifiedHow(domain)}`
            : `Added ${formatDateTime(domain.createdAt)}`}
        </span>
        <div className="actions">
          {isVerified ? null : (
            <button
              type="button"
              className="button primary small"
              onClick={verify}
              disabled={state.isBusy}
            >
              {state.isBusy ? 'Verifying…' : 'Verify'}
              <span className="visually-hidden"> {domain.domain}</span>
            </button>
          )}
          <button type="button" className="button small" onClick={onRemove}>
            Remove<span className="visually-hidden"> {domain.domain}</span>
          </button>
        </div>
      </div>
      {isVerified ? null : (
        <div className="txt-record">
          <p>
            Publish this DNS record at your domain's DNS provider, wait for it to appear (minutes to
            hours), then verify.
          </p>
          <dl className="record-type">
            <dt>Type</dt>
            <dd>
              <code>TXT</code>
            </dd>
          </dl>
          <CopyField label="Name (host)" value={domain.txtName} name="txt-name" />
          <CopyField label="Value" value={domain.txtValue} name="txt-value" />
        </div>
      )}
      {state.error ? <Notice kind="error">{state.error}</Notice> : null}
    </li>
  )
}
