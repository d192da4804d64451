// The fields of an OpenID Connect login connection, as seed 003 names them: connection name,
// issuer URL, client ID, client secret, identity provider domain; and who may join through it.
// Creating needs them all; editing sends only what changed (an empty secret keeps the old one).
import { useState, type FormEvent, type ReactNode } from 'react'
import { messageOf } from '../api/client.ts'
import type { ConnectionInput, ConnectionView } from '../api/types.ts'
import { Notice } from '../components/states.tsx'
import { TextField } from '../components/text-field.tsx'

const DEFAULT_CLAIMS = 'email, preferred_username, upn'

interface Values {
  name: string
  issuer: string
  clientId: string
  clientSecret: string
  domain: string
  jitEnabled: boolean
  emailClaims: string
}

function valuesOf(connection: ConnectionView | undefined): Values {
  return {
    name: connection?.name ?? '',
    issuer: connection?.issuer ?? '',
    clientId: connection?.clientId ?? '',
    clientSecret: '',
    domain: connection?.domain ?? '',
    jitEnabled: connection?.jitEnabled ?? true,
    emailClaims: connection ? connection.emailClaims.join(', ') : DEFAULT_CLAIMS,
  }
}

function claimsOf(text: string): string[] {
  return text
    .split(',')
    .map((claim) => claim.trim())
    .filter((claim) => claim !== '')
}

/** The body to send: everything when creating, what differs from `existing` when editing. */
function inputOf(values: Values, existing: ConnectionView | undefined): ConnectionInput {
  const input: ConnectionInput = {}
  const before = valuesOf(existing)
  const changed = (key: keyof Values) => existing === undefined || values[key] !== before[key]
  if (changed('name')) input.name = values.name.trim()
  if (changed('issuer')) input.issuer = values.issuer.trim()
  if (changed('clientId')) input.clientId = values.clientId.trim()
  if (values.clientSecret !== '') input.clientSecret = values.clientSecret
  if (changed('domain')) input.domain = values.domain.trim()
  if (changed('jitEnabled')) input.jitEnabled = values.jitEnabled
  if (changed('emailClaims')) input.emailClaims = claimsOf(values.emailClaims)
  return input
}

export interface ConnectionFormProps {
  /** Absent when creating. */
  readonly existing?: ConnectionView
  readonly submitLabel: string
  readonly onSubmit: (input: ConnectionInput) => Promise<void>
  readonly children?: ReactNode
}

export function ConnectionForm({ existing, submitLabel, onSubmit, children }: ConnectionFormProps) {
  const [values, setValues] = useState<Values>(() => valuesOf(existing))
  const [state, setState] = useState<{ isBusy: boolean; error?: string; saved?: boolean }>({
    isBusy: false,
  })
  const set =
    <K extends keyof Values>(key: K) =>
    (value: Values[K]) =>
      setValues((current) => ({ ...current, [key]: value }))
  const isEditing = existing !== undefined

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const input = inputOf(values, existing)
    if (isEditing && Object.keys(input).length === 0) {
      setState({ isBusy: false, error: 'Nothing changed.' })
      return
    }
    setState({ isBusy: true })
    onSubmit(input).then(
      () => {
        setValues((current) => ({ ...current, clientSecret: '' }))
        setState({ isBusy: false, saved: isEditing })
      },
      (error: unknown) => setState({ isBusy: false, error: messageOf(error) }),
    )
  }

  return (
    <form className="connection-form" onSubmit={submit} aria-busy={state.isBusy}>
      <TextField
        label="Connection name"
        value={values.name}
        onChange={set('name')}
        name="name"
        required
        maxLength={200}
        hint="Your name for it, e.g. “Entra ID”."
      />
      <TextField
        label="Issuer URL"
        value={values.issuer}
        onChange={set('issuer')}
        name="issuer"
        type="url"
        required
        placeholder="https://login.microsoftonline.com/<tenant ID>/v2.0"
        spellCheck={false}
        hint={
          <>
            Entra ID: <code>https://login.microsoftonline.com/&lt;tenant ID&gt;/v2.0</code>, the
            tenant ID from Microsoft Entra ID → Overview.
          </>
        }
      />
      <TextField
        label="Client ID"
        value={values.clientId}
        onChange={set('clientId')}
        name="clientId"
        required
        spellCheck={false}
        hint="Entra ID: App registrations → your app → Application (client) ID."
      />
      <TextField
        label="Client secret"
        value={values.clientSecret}
        onChange={set('clientSecret')}
        name="clientSecret"
        type="password"
        autoComplete="new-password"
        required={!isEditing}
        hint={
          isEditing
            ? 'Stored encrypted and never shown. Leave empty to keep the current one.'
            : 'Entra ID: Certificates & secrets → New client secret → its Value. Stored encrypted, never shown again.'
        }
      />
      <TextField
        label="Identity provider domain"
        value={values.domain}
        onChange={set('domain')}
        name="domain"
        required
        placeholder="contoso.com"
        autoCapitalize="none"
        spellCheck={false}
        hint="What your people type on “Sign in with SSO”: one of your verified domains, unique across Rollcall."
      />
      <fieldset className="advanced">
        <legend>Who may sign in</legend>
        <div className="checkbox">
          <input
            id="jit"
            type="checkbox"
            checked={values.jitEnabled}
            onChange={(event) => set('jitEnabled')(event.target.checked)}
          />
          <label htmlFor="jit">
            Let people who are not members yet join as Viewer (just-in-time), when their email is in
            a verified domain
          </label>
        </div>
        <TextField
          label="Email claims"
          value={values.emailClaims}
          onChange={set('emailClaims')}
          name="emailClaims"
          spellCheck={false}
          hint="The ID-token claims tried for the email, in order, separated by commas."
        />
      </fieldset>
      {isEditing ? (
        <p className="hint">
          Changing the issuer URL, client ID or client secret makes the connection unverified until
          you verify it again.
        </p>
      ) : null}
      {state.error ? <Notice kind="error">{state.error}</Notice> : null}
      {state.saved ? <Notice kind="ok">Changes saved.</Notice> : null}
      <div className="actions">
        <button type="submit" className="button primary" disabled={state.isBusy}>
          {state.isBusy ? 'Saving…' : submitLabel}
        </button>
        {children}
      </div>
    </form>
  )
}
