// Users (SPEC §1 D8, §5): every user of the tenant with origin, role and status; search by email
// or name, filters, server-side paging by cursor; invite an INTERNAL user (the set-password link
// is shown once); change anyone's role; disable, enable and delete INTERNAL users only — for a
// SCIM-controlled user those buttons are disabled and the reason is shown.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { messageOf } from '../api/client.ts'
import type { InvitedUser, UserFilters, UserListPage, UserView } from '../api/types.ts'
import { deleteUser, inviteUser, listUsers, PAGE_SIZE, updateUser } from '../api/users.ts'
import { Badge } from '../components/badge.tsx'
import { ConfirmDialog } from '../components/confirm-dialog.tsx'
import { CopyField } from '../components/copy-field.tsx'
import { Empty, Failed, Loading, Notice } from '../components/states.tsx'
import { TextField } from '../components/text-field.tsx'
import { formatDateTime } from '../format.ts'
import { usePageTitle } from '../page-title.ts'
import { useDebounced } from '../use-debounced.ts'
import { useResource } from '../use-resource.ts'

export const ROLES = ['Admin', 'Editor', 'Viewer'] as const

type Outcome = { readonly kind: 'ok' | 'error'; readonly text: string }

export function OriginBadge({ origin }: { readonly origin: 'INTERNAL' | 'SCIM' }) {
  return <Badge tone={origin === 'SCIM' ? 'pending' : 'neutral'}>{origin}</Badge>
}

export function UsersPage({ tenant }: { readonly tenant: string }) {
  usePageTitle('Users')
  const [search, setSearch] = useState('')
  const [origin, setOrigin] = useState('')
  const [role, setRole] = useState('')
  const [status, setStatus] = useState('')
  const settledSearch = useDebounced(search.trim(), 300)
  const filters: UserFilters = {
    search: settledSearch,
    ...(origin === 'INTERNAL' || origin === 'SCIM' ? { origin } : {}),
    ...(role ? { role } : {}),
    ...(status === 'active' || status === 'disabled' ? { status } : {}),
  }
  const filterKey = JSON.stringify(filters)
  // The cursors of the pages walked so far: [undefined, after page 1, after page 2, …], for the
  // filters they were walked with; other filters start again at the first page.
  const [walk, setWalk] = useState<{
    readonly key: string
    readonly cursors: readonly (string | undefined)[]
  }>({ key: filterKey, cursors: [undefined] })
  const cursors = walk.key === filterKey ? walk.cursors : [undefined]
  const setCursors = (
    change: (current: readonly (string | undefined)[]) => readonly (string | undefined)[],
  ) => setWalk({ key: filterKey, cursors: change(cursors) })
  const pageIndex = cursors.length - 1
  const cursor = cursors[pageIndex]
  const [page, { reload, update }] = useResource(
    () => listUsers(tenant, filters, cursor),
    [tenant, filterKey, cursor],
  )
  const [outcome, setOutcome] = useState<Outcome | undefined>()
  const [isInviting, setInviting] = useState(false)
  const [toDelete, setToDelete] = useState<UserView | undefined>()
  const [isDeleting, setDeleting] = useState(false)
  const isFiltered = filterKey !== JSON.stringify({ search: '' })

  const put = (user: UserView) =>
    update((current) => ({
      ...current,
      items: current.items.map((u) => (u.id === user.id ? user : u)),
    }))

  const change = (user: UserView, patch: { role?: string; active?: boolean }, done: string) =>
    updateUser(tenant, user.id, patch).then(
      (updated) => {
        put(updated)
        setOutcome({ kind: 'ok', text: done })
      },
      (error: unknown) => setOutcome({ kind: 'error', text: messageOf(error) }),
    )

  const remove = () => {
    const user = toDelete
    if (!user) return
    setDeleting(true)
    deleteUser(tenant, user.id).then(
      () => {
        update((current) => ({
          ...current,
          total: current.total - 1,
          items: current.items.filter((u) => u.id !== user.id),
        }))
        setOutcome({ kind: 'ok', text: `${user.email} was deleted.` })
        setToDelete(undefined)
        setDeleting(false)
      },
      (error: unknown) => {
        setOutcome({ kind: 'error', text: messageOf(error) })
        setToDelete(undefined)
        setDeleting(false)
      },
    )
  }

  return (
    <>
      <div className="page-header with-action">
        <div>
          <h1>Users</h1>
          <p className="lead">
            Everyone who is a member of this tenant. Users your identity provider provisions through
            SCIM have origin SCIM: you can change their role here, but only the identity provider
            can disable or remove them.
          </p>
        </div>
        <button type="button" className="button primary" onClick={() => setInviting(true)}>
          Invite user
        </button>
      </div>

      <form
        className="panel filters"
        role="search"
        aria-label="Find users"
        onSubmit={(event) => event.preventDefault()}
      >
        <TextField
          label="Search by email or name"
          value={search}
          onChange={setSearch}
          name="search"
          type="search"
          autoCapitalize="none"
          spellCheck={false}
        />
        <SelectField
          label="Origin"
          value={origin}
          onChange={setOrigin}
          options={[
            ['', 'Any origin'],
            ['INTERNAL', 'INTERNAL'],
            ['SCIM', 'SCIM'],
          ]}
        />
        <SelectField
          label="Role"
          value={role}
          onChange={setRole}
          options={[['', 'Any role'], ...ROLES.map((r) => [r, r] as const)]}
        />
        <SelectField
          label="Status"
          value={status}
          onChange={setStatus}
          options={[
            ['', 'Any status'],
            ['active', 'Active'],
            ['disabled', 'Disabled'],
          ]}
        />
      </form>

      {outcome ? <Notice kind={outcome.kind}>{outcome.text}</Notice> : null}

      <section aria-labelledby="users-heading">
        <h2 id="users-heading">Members of {tenant}</h2>
        {page.kind === 'loading' ? <Loading what="users" /> : null}
        {page.kind === 'failed' ? <Failed message={page.message} onRetry={reload} /> : null}
        {page.kind === 'loaded' && page.value.items.length === 0 ? (
          isFiltered ? (
            <Empty title="No user matches">Change the search or the filters above.</Empty>
          ) : (
            <Empty title="No user yet">
              Invite someone above, or connect your identity provider with SCIM.
            </Empty>
          )
        ) : null}
        {page.kind === 'loaded' && page.value.items.length > 0 ? (
          <>
            <UserTable
              page={page.value}
              onRole={(user, newRole) =>
                change(user, { role: newRole }, `${user.email} is now ${newRole}.`)
              }
              onActive={(user, isActive) =>
                change(
                  user,
                  { active: isActive },
                  `${user.email} is ${isActive ? 'enabled' : 'disabled'}.`,
                )
              }
              onDelete={setToDelete}
            />
            <Pager
              first={pageIndex * PAGE_SIZE + 1}
              count={page.value.items.length}
              total={page.value.total}
              hasPrevious={pageIndex > 0}
              hasNext={page.value.nextCursor !== null}
              onPrevious={() => setCursors((c) => c.slice(0, -1))}
              onNext={() => {
                const next = page.value.nextCursor
                if (next) setCursors((c) => [...c, next])
              }}
            />
          </>
        ) : null}
      </section>

      <InviteDialog
        open={isInviting}
        tenant={tenant}
        onInvited={(invited) => {
          setOutcome({
            kind: 'ok',
            text: `${invited.user.email} was added as ${invited.user.role}.`,
          })
          reload()
        }}
        onClose={() => setInviting(false)}
      />

      <ConfirmDialog
        open={toDelete !== undefined}
        title={`Delete ${toDelete?.email ?? ''}?`}
        confirmLabel="Delete user"
        isBusy={isDeleting}
        onConfirm={remove}
        onCancel={() => setToDelete(undefined)}
      >
        <p>
          They lose access to this tenant and leave its groups. Their sign-in history stays. You can
          invite them again later.
        </p>
      </ConfirmDialog>
    </>
  )
}

export function SelectField({
  label,
  value,
  onChange,
  options,
}: {
  readonly label: string
  readonly value: string
  readonly onChange: (value: string) => void
  readonly options: readonly (readonly [string, string])[]
}) {
  const id = useId()
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {options.map(([optionValue, text]) => (
          <option key={optionValue} value={optionValue}>
            {text}
          </option>
        ))}
      </select>
    </div>
  )
}

function UserTable({
  page,
  onRole,
  onActive,
  onDelete,
}: {
  readonly page: UserListPage
  readonly onRole: (user: UserView, role: string) => Promise<void>
  readonly onActive: (user: UserView, isActive: boolean) => Promise<void>
  readonly onDelete: (user: UserView) => void
}) {
  return (
    <table className="table users">
      <thead>
        <tr>
          <th scope="col">User</th>
          <th scope="col">Origin</th>
          <th scope="col">Role</th>
          <th scope="col">Status</th>
          <th scope="col">Last sign-in</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {page.items.map((user) => (
          <UserRow
            key={user.id}
            user={user}
            onRole={onRole}
            onActive={onActive}
            onDelete={onDelete}
          />
        ))}
      </tbody>
    </table>
  )
}

function UserRow({
  user,
  onRole,
  onActive,
  onDelete,
}: {
  readonly user: UserView
  readonly onRole: (user: UserView, role: string) => Promise<void>
  readonly onActive: (user: UserView, isActive: boolean) => Promise<void>
  readonly onDelete: (user: UserView) => void
}) {
  const id = useId()
  const [isBusy, setBusy] = useState(false)
  const toggleRefusal = user.active ? user.refusals.disable : user.refusals.enable
  const deleteRefusal = user.refusals.delete
  const roleRefusal = user.refusals.role
  const reason = toggleRefusal ?? deleteRefusal ?? roleRefusal
  const isControlled = reason !== undefined
  const busy = (action: Promise<void>) => {
    setBusy(true)
    void action.finally(() => setBusy(false))
  }
  const roles = (ROLES as readonly string[]).includes(user.role) ? ROLES : [...ROLES, user.role]
  return (
    <tr data-user={user.email}>
      <td>
        <div className="user-name">{user.displayName ?? user.email}</div>
        {user.displayName ? <div className="hint">{user.email}</div> : null}
      </td>
      <td>
        <OriginBadge origin={user.origin} />
      </td>
      <td>
        <label className="visually-hidden" htmlFor={`${id}-role`}>
          Role of {user.email}
        </label>
        <select
          id={`${id}-role`}
          className="compact"
          value={user.role}
          disabled={isBusy || roleRefusal !== undefined}
          title={roleRefusal}
          aria-describedby={roleRefusal ? `${id}-reason` : undefined}
          onChange={(event) => busy(onRole(user, event.target.value))}
        >
          {roles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </td>
      <td>
        {user.active ? <Badge tone="ok">Active</Badge> : <Badge tone="error">Disabled</Badge>}
      </td>
      <td className="last-sign-in">
        {user.lastSignInAt ? (
          <time dateTime={user.lastSignInAt}>{formatDateTime(user.lastSignInAt)}</time>
        ) : (
          'Never'
        )}
      </td>
      <td>
        <div className="actions">
          <button
            type="button"
            className="button small"
            disabled={isBusy || toggleRefusal !== undefined}
            title={toggleRefusal}
            aria-describedby={isControlled ? `${id}-reason` : undefined}
            onClick={() => busy(onActive(user, !user.active))}
          >
            {user.active ? 'Disable' : 'Enable'}
            <span className="visually-hidden"> {user.email}</span>
          </button>
          <button
            type="button"
            className="button small"
            disabled={isBusy || deleteRefusal !== undefined}
            title={deleteRefusal}
            aria-describedby={isControlled ? `${id}-reason` : undefined}
            onClick={() => onDelete(user)}
          >
            Delete<span className="visually-hidden"> {user.email}</span>
          </button>
        </div>
        {isControlled ? (
          <p className="hint reason" id={`${id}-reason`}>
            {reason}
          </p>
        ) : null}
      </td>
    </tr>
  )
}

export function Pager({
  first,
  count,
  total,
  hasPrevious,
  hasNext,
  onPrevious,
  onNext,
}: {
  readonly first: number
  readonly count: number
  readonly total: number
  readonly hasPrevious: boolean
  readonly hasNext: boolean
  readonly onPrevious: () => void
  readonly onNext: () => void
}) {
  const format = (n: number) => n.toLocaleString()
  return (
    <nav className="pager" aria-label="Pages">
      <span role="status">
        {count === 0 ? 'None' : `${format(first)}–${format(first + count - 1)} of ${format(total)}`}
      </span>
      <div className="actions">
        <button type="button" className="button small" disabled={!hasPrevious} onClick={onPrevious}>
          Previous page
        </button>
        <button type="button" className="button small" disabled={!hasNext} onClick={onNext}>
          Next page
        </button>
      </div>
    </nav>
  )
}

/**
 * Invite: the person's email, name and role; then their one-time set-password link, shown once
 * with a copy button (only its hash is kept).
 */
function InviteDialog({
  open,
  tenant,
  onInvited,
  onClose,
}: {
  readonly open: boolean
  readonly tenant: string
  readonly onInvited: (invited: InvitedUser) => void
  readonly onClose: () => void
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const [email, setEmail] = useState('')
  const [displayName, setDisplayName] = useState('')
  const [role, setRole] = useState('Viewer')
  const [state, setState] = useState<{ isBusy: boolean; error?: string }>({ isBusy: false })
  const [invited, setInvited] = useState<InvitedUser | undefined>()

  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (open && !dialog.open) dialog.showModal()
    if (!open && dialog.open) dialog.close()
  }, [open])

  const close = () => {
    setEmail('')
    setDisplayName('')
    setRole('Viewer')
    setState({ isBusy: false })
    setInvited(undefined)
    onClose()
  }

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setState({ isBusy: true })
    inviteUser(tenant, {
      email: email.trim(),
      role,
      ...(displayName.trim() ? { displayName: displayName.trim() } : {}),
    }).then(
      (result) => {
        setState({ isBusy: false })
        setInvited(result)
        onInvited(result)
      },
      (error: unknown) => setState({ isBusy: false, error: messageOf(error) }),
    )
  }

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault()
        close()
      }}
    >
      {invited ? (
        <>
          <h2 id={titleId}>{invited.user.email} was invited</h2>
          <div className="dialog-body">
            <p>
              Send them this link to choose a password. It works once and for 24 hours.{' '}
              <strong>You will not see it again.</strong>
            </p>
            <CopyField
              label="Set-password link"
              value={invited.setPasswordUrl}
              name="set-password-url"
            />
          </div>
          <div className="actions">
            <button type="button" className="button primary" onClick={close}>
              Done
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={submit}>
          <h2 id={titleId}>Invite a user</h2>
          <div className="dialog-body">
            <p>They join as an INTERNAL member, with a link to choose their password.</p>
            <TextField
              label="Email"
              value={email}
              onChange={setEmail}
              name="email"
              type="email"
              autoCapitalize="none"
              spellCheck={false}
              required
            />
            <TextField
              label="Display name (optional)"
              value={displayName}
              onChange={setDisplayName}
              name="displayName"
            />
            <SelectField
              label="Role"
              value={role}
              onChange={setRole}
              options={ROLES.map((r) => [r, r] as const)}
            />
            {state.error ? <Notice kind="error">{state.error}</Notice> : null}
          </div>
          <div className="actions">
            <button type="button" className="button" onClick={close} disabled={state.isBusy}>
              Cancel
            </button>
            <button type="submit" className="button primary" disabled={state.isBusy}>
              {state.isBusy ? 'Inviting…' : 'Invite'}
            </button>
          </div>
        </form>
      )}
    </dialog>
  )
}
