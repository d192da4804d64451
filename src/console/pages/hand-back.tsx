// Hand back (issue #9): after the tenant turns SCIM off, release the users, groups and
// memberships SCIM controlled to INTERNAL, so admins manage them here again. A preview of what
// changes first, then one confirmed action; refused while SCIM is enabled.
import { useState } from 'react'
import { messageOf } from '../api/client.ts'
import { handBack, previewHandBack, type HandBackPreview } from '../api/hand-back.ts'
import { ConfirmDialog } from '../components/confirm-dialog.tsx'
import { Empty, Failed, Loading, Notice } from '../components/states.tsx'
import { usePageTitle } from '../page-title.ts'
import { useResource } from '../use-resource.ts'
import '../roles.css'

type Outcome = { readonly kind: 'ok' | 'error'; readonly text: string }

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

function sampleText(names: readonly string[], count: number): string {
  if (names.length === 0) return ''
  const more = count - names.length
  return `${names.join(', ')}${more > 0 ? ` and ${more} more` : ''}`
}

export function HandBackPage({ tenant }: { readonly tenant: string }) {
  usePageTitle('Hand back')
  const [preview, { reload }] = useResource(() => previewHandBack(tenant), [tenant])
  const [isConfirming, setConfirming] = useState(false)
  const [isBusy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState<Outcome | undefined>()

  const run = () => {
    setBusy(true)
    handBack(tenant).then(
      ({ changes }) => {
        setOutcome({
          kind: 'ok',
          text:
            `Handed back to INTERNAL: ${plural(changes.users, 'user', 'users')}, ` +
            `${plural(changes.groups, 'group', 'groups')}, ` +
            `${plural(changes.memberships, 'membership', 'memberships')}.`,
        })
        setBusy(false)
        setConfirming(false)
        reload()
      },
      (error: unknown) => {
        setOutcome({ kind: 'error', text: messageOf(error) })
        setBusy(false)
        setConfirming(false)
      },
    )
  }

  return (
    <>
      <div className="page-header">
        <h1>Hand back</h1>
        <p className="lead">
          When your organisation stops provisioning through SCIM, hand the users, groups and
          memberships your identity provider controlled back to Rollcall. They become INTERNAL: you
          can then edit, disable and delete them here. Nothing else changes: ids, groups and roles
          stay as they are.
        </p>
      </div>

      {outcome ? <Notice kind={outcome.kind}>{outcome.text}</Notice> : null}

      <section aria-labelledby="preview-heading">
        <h2 id="preview-heading">What changes</h2>
        {preview.kind === 'loading' ? <Loading what="the preview" /> : null}
        {preview.kind === 'failed' ? <Failed message={preview.message} onRetry={reload} /> : null}
        {preview.kind === 'loaded' ? (
          <PreviewBody preview={preview.value} onHandBack={() => setConfirming(true)} />
        ) : null}
      </section>

      <ConfirmDialog
        open={isConfirming}
        title="Hand everything back to INTERNAL?"
        confirmLabel="Hand back"
        isBusy={isBusy}
        onConfirm={run}
        onCancel={() => setConfirming(false)}
      >
        {preview.kind === 'loaded' ? (
          <p>
            {plural(preview.value.users.count, 'user', 'users')},{' '}
            {plural(preview.value.groups.count, 'group', 'groups')} and{' '}
            {plural(preview.value.memberships.count, 'membership', 'memberships')} become INTERNAL.
            If you enable SCIM again later, your identity provider takes over the people and groups
            it sends again (conversion).
          </p>
        ) : null}
      </ConfirmDialog>
    </>
  )
}

function PreviewBody({
  preview,
  onHandBack,
}: {
  readonly preview: HandBackPreview
  readonly onHandBack: () => void
}) {
  const total = preview.users.count + preview.groups.count + preview.memberships.count
  if (total === 0) {
    return (
      <Empty title="Nothing to hand back">
        No user, group or membership of this tenant is controlled by SCIM.
      </Empty>
    )
  }
  return (
    <div className="panel">
      {preview.scimEnabled ? (
        <div className="notice warning" role="note">
          <p>
            SCIM provisioning is enabled: your identity provider would take these records back on
            its next cycle. Disable SCIM first (System Settings → SCIM Provisioning → Disable), then
            hand back.
          </p>
        </div>
      ) : null}
      <dl className="hand-back-counts">
        <div>
          <dt>Users</dt>
          <dd className="count">{preview.users.count}</dd>
          <dd className="meta">
            {sampleText(
              preview.users.sample.map((u) => u.userName),
              preview.users.count,
            )}
          </dd>
        </div>
        <div>
          <dt>Groups</dt>
          <dd className="count">{preview.groups.count}</dd>
          <dd className="meta">
            {sampleText(
              preview.groups.sample.map((g) => g.displayName),
              preview.groups.count,
            )}
          </dd>
        </div>
        <div>
          <dt>Memberships</dt>
          <dd className="count">{preview.memberships.count}</dd>
          <dd className="meta">Group memberships your IdP added</dd>
        </div>
      </dl>
      <div className="actions">
        <button
          type="button"
          className="button danger"
          onClick={onHandBack}
          disabled={preview.scimEnabled}
          aria-describedby={preview.scimEnabled ? 'hand-back-disabled' : undefined}
        >
          Hand back to INTERNAL…
        </button>
        {preview.scimEnabled ? (
          <span id="hand-back-disabled" className="hint">
            Disable SCIM first.
          </span>
        ) : null}
      </div>
    </div>
  )
}
