// System Settings → SCIM Provisioning (SPEC §3, seed 003 "Administration → System Settings → click
// enable under SCIM Provisioning"): disabled with the seed's warning until a verified login
// connection exists; Enable shows the Base URL and the JWT token once; Re-issue warns that the IdP
// must be given the new token; Disable; when the token was last used, from where, and the last
// request.
import { useEffect, useId, useRef, useState } from 'react'
import { messageOf } from '../api/client.ts'
import {
  disableScim,
  enableScim,
  fetchScimSettings,
  reissueScimToken,
} from '../api/scim-settings.ts'
import type { IssuedScimToken, ScimRequestSummary, ScimSettingsView } from '../api/types.ts'
import { Badge } from '../components/badge.tsx'
import { ConfirmDialog } from '../components/confirm-dialog.tsx'
import { CopyField } from '../components/copy-field.tsx'
import { Failed, Loading, Notice } from '../components/states.tsx'
import { formatDateTime } from '../format.ts'
import { usePageTitle } from '../page-title.ts'
import { Link } from '../router.tsx'
import { useResource } from '../use-resource.ts'

type Outcome = { readonly kind: 'ok' | 'error'; readonly text: string }
type Asking = 'reissue' | 'disable' | undefined

export function ScimSettingsPage({ tenant }: { readonly tenant: string }) {
  usePageTitle('System Settings')
  const [settings, { reload, update }] = useResource(() => fetchScimSettings(tenant), [tenant])
  const [issued, setIssued] = useState<IssuedScimToken | undefined>()
  const [asking, setAsking] = useState<Asking>()
  const [isBusy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState<Outcome | undefined>()

  const act = (
    run: () => Promise<IssuedScimToken | ScimSettingsView>,
    done: (result: IssuedScimToken | ScimSettingsView) => string,
  ) => {
    setBusy(true)
    setOutcome(undefined)
    run().then(
      (result) => {
        const next = 'token' in result ? result.settings : result
        update(() => next)
        if ('token' in result) setIssued(result)
        setOutcome({ kind: 'ok', text: done(result) })
        setAsking(undefined)
        setBusy(false)
      },
      (error: unknown) => {
        setOutcome({ kind: 'error', text: messageOf(error) })
        setAsking(undefined)
        setBusy(false)
      },
    )
  }

  return (
    <>
      <div className="page-header">
        <h1>System Settings</h1>
        <p className="lead">
          How your identity provider keeps this tenant&apos;s people and groups up to date.
        </p>
      </div>

      <section className="panel" aria-labelledby="scim-heading">
        <h2 id="scim-heading">SCIM Provisioning</h2>
        {settings.kind === 'loading' ? <Loading what="the SCIM settings" /> : null}
        {settings.kind === 'failed' ? <Failed message={settings.message} onRetry={reload} /> : null}
        {settings.kind === 'loaded' ? (
          <ScimPanel
            settings={settings.value}
            isBusy={isBusy}
            onEnable={() =>
              act(
                () => enableScim(tenant),
                () => 'SCIM provisioning is enabled. Give the Base URL and token to your IdP.',
              )
            }
            onReissue={() => setAsking('reissue')}
            onDisable={() => setAsking('disable')}
          />
        ) : null}
        {outcome ? <Notice kind={outcome.kind}>{outcome.text}</Notice> : null}
      </section>

      <ConfirmDialog
        open={asking === 'reissue'}
        title="Re-issue the SCIM token?"
        confirmLabel="Re-issue token"
        isBusy={isBusy}
        onConfirm={() =>
          act(
            () => reissueScimToken(tenant),
            () => 'A new token was issued; the previous one no longer works.',
          )
        }
        onCancel={() => setAsking(undefined)}
      >
        <p>
          The current token stops working at once. Until you paste the new token into your identity
          provider (Microsoft Entra ID: Provisioning → Admin Credentials → Secret Token), its
          provisioning requests fail.
        </p>
      </ConfirmDialog>

      <ConfirmDialog
        open={asking === 'disable'}
        title="Disable SCIM provisioning?"
        confirmLabel="Disable SCIM"
        isBusy={isBusy}
        onConfirm={() =>
          act(
            () => disableScim(tenant),
            () => 'SCIM provisioning is disabled: the token no longer works.',
          )
        }
        onCancel={() => setAsking(undefined)}
      >
        <p>
          The token stops working at once, and your identity provider can no longer create, change
          or remove people and groups here. Users it provisioned stay as they are.
        </p>
      </ConfirmDialog>

      <TokenDialog issued={issued} onClose={() => setIssued(undefined)} />
    </>
  )
}

function ScimPanel({
  settings,
  isBusy,
  onEnable,
  onReissue,
  onDisable,
}: {
  readonly settings: ScimSettingsView
  readonly isBusy: boolean
  readonly onEnable: () => void
  readonly onReissue: () => void
  readonly onDisable: () => void
}) {
  const warningId = useId()
  return (
    <>
      <p className="scim-status">
        Status:{' '}
        {settings.enabled ? (
          <Badge tone="ok">Enabled</Badge>
        ) : (
          <Badge tone="neutral">Disabled</Badge>
        )}
      </p>
      {settings.warning ? (
        <div className="notice warning" id={warningId}>
          <p>{settings.warning}</p>
          <p>
            <Link to="/connections">Go to Enterprise Connection</Link>
          </p>
        </div>
      ) : null}
      {settings.enabled ? (
        <>
          <CopyField
            label="Base URL"
            value={settings.baseUrl}
            name="base-url"
            hint="Microsoft Entra ID calls it Tenant URL."
          />
          <dl className="facts">
            <dt>Token issued</dt>
            <dd>{formatDateTime(settings.tokenIssuedAt)}</dd>
            <dt>Token last used</dt>
            <dd data-field="last-used">
              {settings.lastUsed ? (
                <RequestLine request={settings.lastUsed} withSource />
              ) : (
                'Not used since it was issued.'
              )}
            </dd>
            <dt>Last request</dt>
            <dd data-field="last-request">
              {settings.lastRequest ? (
                <RequestLine request={settings.lastRequest} />
              ) : (
                'No SCIM request yet.'
              )}
            </dd>
          </dl>
          <p>
            <Link to="/provisioning-log">Open the provisioning log</Link>
          </p>
        </>
      ) : null}
      <div className="actions">
        {settings.enabled ? (
          <>
            <button type="button" className="button" onClick={onReissue} disabled={isBusy}>
              Re-issue token
            </button>
            <button type="button" className="button" onClick={onDisable} disabled={isBusy}>
              Disable
            </button>
          </>
        ) : (
          <button
            type="button"
            className="button primary"
            onClick={onEnable}
            disabled={isBusy || !settings.hasVerifiedConnection}
            aria-describedby={settings.warning ? warningId : undefined}
          >
            {isBusy ? 'Enabling…' : 'Enable'}
          </button>
        )}
      </div>
    </>
  )
}

function RequestLine({
  request,
  withSource = false,
}: {
  readonly request: ScimRequestSummary
  readonly withSource?: boolean
}) {
  const isFailure = request.outcome === 'failure'
  return (
    <>
      {formatDateTime(request.at)} · {request.operation} ·{' '}
      <Badge tone={isFailure ? 'error' : 'ok'}>
        {`${isFailure ? 'Failed' : 'Succeeded'} (${request.status})`}
      </Badge>
      {withSource ? (
        <span className="source">
          {' '}
          from {request.address ?? 'an unknown address'}
          {request.client ? `, ${request.client}` : ''}
        </span>
      ) : null}
      {isFailure && request.detail ? (
        <span className="request-detail">{request.detail}</span>
      ) : null}
    </>
  )
}

/** Seed 003: "a popup with Base Url and JWT Token. Save those values as they won't be visible". */
function TokenDialog({
  issued,
  onClose,
}: {
  readonly issued: IssuedScimToken | undefined
  readonly onClose: () => void
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const id = useId()
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (issued && !dialog.open) dialog.showModal()
    if (!issued && dialog.open) dialog.close()
  }, [issued])
  return (
    <dialog
      ref={ref}
      className="dialog wide"
      aria-labelledby={`${id}-title`}
      onCancel={(event) => {
        event.preventDefault()
        onClose()
      }}
    >
      <h2 id={`${id}-title`}>SCIM provisioning credentials</h2>
      {issued ? (
        <div className="dialog-body">
          <div className="notice warning">
            <p>
              <strong>Copy the token now: you will not see it again.</strong> Rollcall keeps only
              its id. If you lose it, re-issue a new one.
            </p>
          </div>
          <CopyField
            label="Base URL"
            value={issued.baseUrl}
            name="issued-base-url"
            hint="In Microsoft Entra ID: Provisioning → Admin Credentials → Tenant URL."
          />
          <CopyField
            label="JWT Token"
            value={issued.token}
            name="issued-token"
            hint="In Microsoft Entra ID: Provisioning → Admin Credentials → Secret Token."
          />
        </div>
      ) : null}
      <div className="actions">
        <button type="button" className="button primary" onClick={onClose}>
          I have saved the token
        </button>
      </div>
    </dialog>
  )
}
