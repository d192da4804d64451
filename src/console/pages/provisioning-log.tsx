// The provisioning log (SPEC §5): every SCIM request of the tenant, newest first, filtered by
// outcome, operation and resource; a row opens the request with its error detail and bodies
// (secrets redacted by the server); a chart of requests and failures over time.
import { useEffect, useId, useRef, useState } from 'react'
import { messageOf } from '../api/client.ts'
import {
  fetchProvisioningActivity,
  fetchProvisioningLogEntry,
  listProvisioningLog,
} from '../api/provisioning-log.ts'
import type { ActivityRange, ProvisioningLogFilter, ProvisioningLogSummary } from '../api/types.ts'
import { ActivityChart } from '../components/activity-chart.tsx'
import { Badge } from '../components/badge.tsx'
import { Empty, Failed, Loading, Notice } from '../components/states.tsx'
import { formatDateTime } from '../format.ts'
import { usePageTitle } from '../page-title.ts'
import { Link } from '../router.tsx'
import { useResource } from '../use-resource.ts'

const RANGES: readonly { readonly value: ActivityRange; readonly label: string }[] = [
  { value: 'hour', label: 'Last hour' },
  { value: 'day', label: 'Last 24 hours' },
  { value: 'month', label: 'Last 30 days' },
]

// The operations the SCIM surface records (src/http/routes/scim/*.ts).
const OPERATIONS = [
  'Create User',
  'Get User',
  'List Users',
  'Replace User',
  'Patch User',
  'Delete User',
  'Create Group',
  'Get Group',
  'List Groups',
  'Replace Group',
  'Patch Group',
  'Delete Group',
  'Bulk',
  'Search root',
  'Discovery',
  'Me',
  'Authenticate',
  'Membership ended',
] as const

export function ProvisioningLogPage({ tenant }: { readonly tenant: string }) {
  usePageTitle('Provisioning log')
  const [filter, setFilter] = useState<ProvisioningLogFilter>({})
  const [round, setRound] = useState(0)
  const [openId, setOpenId] = useState<number | undefined>()

  return (
    <>
      <div className="page-header">
        <h1>Provisioning log</h1>
        <p className="lead">
          Every SCIM request your identity provider sent, newest first, with its outcome. Open a
          request to see the error detail and the bodies (passwords and secrets are never kept).
        </p>
      </div>
      <ActivitySection tenant={tenant} round={round} />
      <section aria-labelledby="requests-heading">
        <h2 id="requests-heading">Requests</h2>
        <Filters filter={filter} onChange={setFilter} onRefresh={() => setRound((r) => r + 1)} />
        <RequestTable
          key={`${JSON.stringify(filter)} ${round}`}
          tenant={tenant}
          filter={filter}
          onOpen={setOpenId}
        />
      </section>
      <EntryDialog tenant={tenant} id={openId} onClose={() => setOpenId(undefined)} />
    </>
  )
}

function ActivitySection({ tenant, round }: { readonly tenant: string; readonly round: number }) {
  const [range, setRange] = useState<ActivityRange>('day')
  const [activity, { reload }] = useResource(
    () => fetchProvisioningActivity(tenant, range),
    [tenant, range, round],
  )
  const selectId = useId()
  const label = RANGES.find((r) => r.value === range)?.label.toLowerCase() ?? ''
  return (
    <section className="panel" aria-labelledby="activity-heading">
      <div className="section-head">
        <h2 id="activity-heading">Activity</h2>
        <div className="field inline">
          <label htmlFor={selectId}>Period</label>
          <select
            id={selectId}
            value={range}
            onChange={(event) => setRange(event.target.value as ActivityRange)}
          >
            {RANGES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {activity.kind === 'loading' ? <Loading what="the activity" /> : null}
      {activity.kind === 'failed' ? <Failed message={activity.message} onRetry={reload} /> : null}
      {activity.kind === 'loaded' ? (
        <ActivityChart activity={activity.value} label={`in the ${label}`} />
      ) : null}
    </section>
  )
}

function Filters({
  filter,
  onChange,
  onRefresh,
}: {
  readonly filter: ProvisioningLogFilter
  readonly onChange: (filter: ProvisioningLogFilter) => void
  readonly onRefresh: () => void
}) {
  const id = useId()
  return (
    <form
      className="filters"
      aria-label="Filter requests"
      onSubmit={(event) => {
        event.preventDefault()
        onRefresh()
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-outcome`}>Outcome</label>
        <select
          id={`${id}-outcome`}
          value={filter.outcome ?? ''}
          onChange={(event) =>
            onChange({
              ...filter,
              outcome: (event.target.value || undefined) as ProvisioningLogFilter['outcome'],
            })
          }
        >
          <option value="">All</option>
          <option value="success">Succeeded</option>
          <option value="failure">Failed</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-operation`}>Operation</label>
        <select
          id={`${id}-operation`}
          value={filter.operation ?? ''}
          onChange={(event) => onChange({ ...filter, operation: event.target.value || undefined })}
        >
          <option value="">All</option>
          {OPERATIONS.map((operation) => (
            <option key={operation} value={operation}>
              {operation}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-resource`}>Resource</label>
        <select
          id={`${id}-resource`}
          value={filter.resourceType ?? ''}
          onChange={(event) =>
            onChange({
              ...filter,
              resourceType: (event.target.value ||
                undefined) as ProvisioningLogFilter['resourceType'],
            })
          }
        >
          <option value="">All</option>
          <option value="User">Users</option>
          <option value="Group">Groups</option>
        </select>
      </div>
      <button type="submit" className="button">
        Refresh
      </button>
    </form>
  )
}

function OutcomeBadge({ entry }: { readonly entry: ProvisioningLogSummary }) {
  return entry.outcome === 'failure' ? (
    <Badge tone="error">Failed</Badge>
  ) : (
    <Badge tone="ok">Succeeded</Badge>
  )
}

function RequestTable({
  tenant,
  filter,
  onOpen,
}: {
  readonly tenant: string
  readonly filter: ProvisioningLogFilter
  readonly onOpen: (id: number) => void
}) {
  const [page, { reload }] = useResource(() => listProvisioningLog(tenant, filter), [])
  const [older, setOlder] = useState<{
    entries: readonly ProvisioningLogSummary[]
    next: number | null | undefined
    isBusy: boolean
    error?: string
  }>({ entries: [], next: undefined, isBusy: false })

  if (page.kind === 'loading') return <Loading what="requests" />
  if (page.kind === 'failed') return <Failed message={page.message} onRetry={reload} />
  const entries = [...page.value.entries, ...older.entries]
  const next = older.next === undefined ? page.value.nextBeforeId : older.next
  const isFiltered = Boolean(filter.outcome || filter.operation || filter.resourceType)
  if (entries.length === 0) {
    return isFiltered ? (
      <Empty title="No request matches">Change or clear the filters above.</Empty>
    ) : (
      <Empty title="No SCIM request yet">
        Requests appear here once your identity provider provisions with the token of{' '}
        <Link to="/settings/scim">System Settings → SCIM Provisioning</Link>.
      </Empty>
    )
  }
  const loadOlder = () => {
    if (next === null) return
    setOlder((o) => ({ ...o, isBusy: true }))
    listProvisioningLog(tenant, filter, next).then(
      (more) =>
        setOlder((o) => ({
          entries: [...o.entries, ...more.entries],
          next: more.nextBeforeId,
          isBusy: false,
        })),
      (error: unknown) => setOlder((o) => ({ ...o, isBusy: false, error: messageOf(error) })),
    )
  }
  return (
    <>
      <table className="table log-table">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Operation</th>
            <th scope="col">Resource</th>
            <th scope="col">Outcome</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr
              key={entry.id}
              data-entry={entry.id}
              className="clickable"
              onClick={() => onOpen(entry.id)}
            >
              <td>
                <button
                  type="button"
                  className="link-button"
                  onClick={(event) => {
                    event.stopPropagation()
                    onOpen(entry.id)
                  }}
                >
                  {formatDateTime(entry.at)}
                  <span className="visually-hidden">: open {entry.operation}</span>
                </button>
              </td>
              <td>{entry.operation}</td>
              <td className="detail">
                {entry.resourceType ?? '—'}
                {entry.resourceId ? <code className="resource-id">{entry.resourceId}</code> : null}
              </td>
              <td>
                <OutcomeBadge entry={entry} /> <span className="status">{entry.status}</span>
              </td>
              <td className="detail">
                <span className="truncate">{entry.detail ?? ''}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {older.error ? <Notice kind="error">{older.error}</Notice> : null}
      {next !== null ? (
        <p>
          <button type="button" className="button" onClick={loadOlder} disabled={older.isBusy}>
            {older.isBusy ? 'Loading…' : 'Load older requests'}
          </button>
        </p>
      ) : null}
    </>
  )
}

function formatBody(body: string | null): string {
  if (body === null) return '(none)'
  try {
    return JSON.stringify(JSON.parse(body), null, 2)
  } catch {
    return body
  }
}

function EntryDialog({
  tenant,
  id,
  onClose,
}: {
  readonly tenant: string
  readonly id: number | undefined
  readonly onClose: () => void
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const [entry] = useResource(
    () => (id === undefined ? Promise.resolve(undefined) : fetchProvisioningLogEntry(tenant, id)),
    [tenant, id],
  )
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (id !== undefined && !dialog.open) dialog.showModal()
    if (id === undefined && dialog.open) dialog.close()
  }, [id])
  const value = entry.kind === 'loaded' ? entry.value : undefined
  return (
    <dialog
      ref={ref}
      className="dialog wide"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault()
        onClose()
      }}
    >
      <h2 id={titleId}>{value ? `${value.operation} · ${value.status}` : 'SCIM request'}</h2>
      <div className="dialog-body">
        {entry.kind === 'loading' ? <Loading what="the request" /> : null}
        {entry.kind === 'failed' ? <Failed message={entry.message} /> : null}
        {value ? (
          <>
            <dl className="facts">
              <dt>Time</dt>
              <dd>{formatDateTime(value.at)}</dd>
              <dt>Outcome</dt>
              <dd>
                <OutcomeBadge entry={value} /> {value.status}
                {value.scimType ? ` (${value.scimType})` : ''} · {value.durationMs.toFixed(1)} ms
              </dd>
              <dt>Request</dt>
              <dd>
                <code>
                  {value.method} {value.path}
                </code>
              </dd>
              <dt>Resource</dt>
              <dd>
                {value.resourceType ?? '—'}{' '}
                {value.resourceId ? <code>{value.resourceId}</code> : null}
              </dd>
              <dt>Client</dt>
              <dd>
                {value.address ?? 'unknown address'}
                {value.client ? `, ${value.client}` : ''}
              </dd>
              {value.requestId ? (
                <>
                  <dt>Request id</dt>
                  <dd>
                    <code>{value.requestId}</code>
                  </dd>
                </>
              ) : null}
            </dl>
            {value.detail ? (
              <div className={`notice ${value.outcome === 'failure' ? 'error' : 'ok'}`}>
                <p data-field="entry-detail">{value.detail}</p>
              </div>
            ) : null}
            <h3>Request body</h3>
            <pre className="body" data-field="request-body" tabIndex={0}>
              {formatBody(value.requestBody)}
            </pre>
            <h3>Response body</h3>
            <pre className="body" data-field="response-body" tabIndex={0}>
              {formatBody(value.responseBody)}
            </pre>
          </>
        ) : null}
      </div>
      <div className="actions">
        <button type="button" className="button primary" onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  )
}
