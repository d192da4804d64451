// Roles (SPEC §5, D4): group → role rules. Members of a group get its rule's role; a member gets
// the highest of their groups' rules and their own role (Viewer by default). A lookup shows a
// person's role and where it comes from: "Editor, via group Engineering".
import { useEffect, useId, useState, type FormEvent } from 'react'
import { messageOf } from '../api/client.ts'
import {
  createRoleRule,
  deleteRoleRule,
  findGroups,
  listRoleRules,
  lookUpRole,
  RULE_ROLES,
  type GroupOption,
  type RoleRuleView,
  type RoleWithSourceView,
  type RuleRole,
} from '../api/roles.ts'
import { Badge } from '../components/badge.tsx'
import { ConfirmDialog } from '../components/confirm-dialog.tsx'
import { Empty, Failed, Loading, Notice } from '../components/states.tsx'
import { TextField } from '../components/text-field.tsx'
import { formatDateTime } from '../format.ts'
import { usePageTitle } from '../page-title.ts'
import { useResource } from '../use-resource.ts'
import '../roles.css'

type Outcome = { readonly kind: 'ok' | 'error'; readonly text: string }

const byName = (a: RoleRuleView, b: RoleRuleView) => a.groupName.localeCompare(b.groupName)

export function RolesPage({ tenant }: { readonly tenant: string }) {
  usePageTitle('Roles')
  const [rules, { reload, update }] = useResource(() => listRoleRules(tenant), [tenant])
  const [outcome, setOutcome] = useState<Outcome | undefined>()
  const [toDelete, setToDelete] = useState<RoleRuleView | undefined>()
  const [isDeleting, setDeleting] = useState(false)
  const list = rules.kind === 'loaded' ? [...rules.value].sort(byName) : []

  const remove = () => {
    const rule = toDelete
    if (!rule) return
    setDeleting(true)
    deleteRoleRule(tenant, rule.groupId).then(
      () => {
        update((current) => current.filter((r) => r.groupId !== rule.groupId))
        setOutcome({ kind: 'ok', text: `The rule of ${rule.groupName} was deleted.` })
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
      <div className="page-header">
        <h1>Roles</h1>
        <p className="lead">
          Give the members of a group a role, e.g. members of the IdP group “Engineering” get
          Editor. A person gets the highest role of their groups’ rules, unless the role set for
          them is higher; everyone else keeps their own role (Viewer by default).
        </p>
      </div>

      <AddRuleForm
        tenant={tenant}
        onAdded={(rule) => {
          update((current) => [...current.filter((r) => r.groupId !== rule.groupId), rule])
          setOutcome({
            kind: 'ok',
            text: `Members of ${rule.groupName} now get ${rule.role} (${rule.memberCount} ${
              rule.memberCount === 1 ? 'member' : 'members'
            }).`,
          })
        }}
      />

      {outcome ? <Notice kind={outcome.kind}>{outcome.text}</Notice> : null}

      <section aria-labelledby="rules-heading">
        <h2 id="rules-heading">Rules</h2>
        {rules.kind === 'loading' ? <Loading what="rules" /> : null}
        {rules.kind === 'failed' ? <Failed message={rules.message} onRetry={reload} /> : null}
        {rules.kind === 'loaded' && list.length === 0 ? (
          <Empty title="No rule yet">
            Everyone has their own role. Add a rule above to give the members of a group a role.
          </Empty>
        ) : null}
        {list.length > 0 ? (
          <table className="table" aria-labelledby="rules-heading">
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col">Members get</th>
                <th scope="col">Members</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((rule) => (
                <tr key={rule.groupId} data-group={rule.groupName}>
                  <td>
                    {rule.groupName}{' '}
                    <Badge tone={rule.groupOrigin === 'SCIM' ? 'ok' : 'neutral'}>
                      {rule.groupOrigin}
                    </Badge>
                  </td>
                  <td>{rule.role}</td>
                  <td>{rule.memberCount}</td>
                  <td>{formatDateTime(rule.createdAt)}</td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="button small"
                      onClick={() => setToDelete(rule)}
                    >
                      Delete<span className="visually-hidden"> the rule of {rule.groupName}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>

      <RoleLookup tenant={tenant} />

      <ConfirmDialog
        open={toDelete !== undefined}
        title={`Delete the rule of ${toDelete?.groupName ?? ''}?`}
        confirmLabel="Delete rule"
        isBusy={isDeleting}
        onConfirm={remove}
        onCancel={() => setToDelete(undefined)}
      >
        <p>
          Its {toDelete?.memberCount ?? 0} members lose the role {toDelete?.role ?? ''}, unless
          another rule or the role set for them gives it. They fall back to the highest of those.
        </p>
      </ConfirmDialog>
    </>
  )
}

function AddRuleForm({
  tenant,
  onAdded,
}: {
  readonly tenant: string
  readonly onAdded: (rule: RoleRuleView) => void
}) {
  const id = useId()
  const [search, setSearch] = useState('')
  const [options, setOptions] = useState<readonly GroupOption[] | undefined>()
  const [optionsError, setOptionsError] = useState<string | undefined>()
  const [groupId, setGroupId] = useState('')
  const [role, setRole] = useState<RuleRole>('Editor')
  const [state, setState] = useState<{ isBusy: boolean; error?: string }>({ isBusy: false })

  // The groups whose name contains the search, fetched shortly after typing stops.
  useEffect(() => {
    let isCurrent = true
    const timer = setTimeout(() => {
      findGroups(tenant, search).then(
        (found) => {
          if (!isCurrent) return
          setOptions(found)
          setOptionsError(undefined)
          setGroupId((current) =>
            found.some((g) => g.id === current) ? current : (found[0]?.id ?? ''),
          )
        },
        (error: unknown) => isCurrent && setOptionsError(messageOf(error)),
      )
    }, 200)
    return () => {
      isCurrent = false
      clearTimeout(timer)
    }
  }, [tenant, search])

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (groupId === '') {
      setState({ isBusy: false, error: 'Choose a group first.' })
      return
    }
    setState({ isBusy: true })
    createRoleRule(tenant, groupId, role).then(
      (rule) => {
        setState({ isBusy: false })
        onAdded(rule)
      },
      (error: unknown) => setState({ isBusy: false, error: messageOf(error) }),
    )
  }

  return (
    <form className="panel rule-form" onSubmit={submit} aria-label="Add a rule">
      <TextField
        label="Find a group"
        value={search}
        onChange={setSearch}
        name="group-search"
        placeholder="Engineering"
        autoComplete="off"
        hint="Type part of the group's name; the list shows the first 20 matches."
      />
      <div className="field">
        <label htmlFor={`${id}-group`}>Group</label>
        <select
          id={`${id}-group`}
          name="group"
          value={groupId}
          onChange={(event) => setGroupId(event.target.value)}
          disabled={options === undefined || options.length === 0}
          aria-describedby={`${id}-group-hint`}
        >
          {options === undefined ? <option value="">Loading groups…</option> : null}
          {options?.length === 0 ? <option value="">No group matches</option> : null}
          {options?.map((g) => (
            <option key={g.id} value={g.id}>
              {g.displayName} ({g.origin})
            </option>
          ))}
        </select>
        <div className="hint" id={`${id}-group-hint`}>
          {optionsError ??
            (options?.length === 0 && search.trim() === ''
              ? 'No group yet: groups come from your IdP (SCIM) or are created here (INTERNAL).'
              : 'Groups provisioned by your IdP (SCIM) or created here (INTERNAL).')}
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-role`}>Role</label>
        <select
          id={`${id}-role`}
          name="role"
          value={role}
          onChange={(event) => setRole(event.target.value as RuleRole)}
        >
          {RULE_ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button primary" disabled={state.isBusy}>
        {state.isBusy ? 'Adding…' : 'Add rule'}
      </button>
      {state.error ? <Notice kind="error">{state.error}</Notice> : null}
    </form>
  )
}

function RoleLookup({ tenant }: { readonly tenant: string }) {
  const [userName, setUserName] = useState('')
  const [state, setState] = useState<
    | { readonly kind: 'idle' | 'busy' }
    | { readonly kind: 'found'; readonly role: RoleWithSourceView }
    | { readonly kind: 'error'; readonly message: string }
  >({ kind: 'idle' })

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setState({ kind: 'busy' })
    lookUpRole(tenant, userName.trim()).then(
      (role) => setState({ kind: 'found', role }),
      (error: unknown) => setState({ kind: 'error', message: messageOf(error) }),
    )
  }

  return (
    <section aria-labelledby="lookup-heading">
      <h2 id="lookup-heading">Look up a person’s role</h2>
      <form className="panel inline-form" onSubmit={submit} aria-label="Look up a role">
        <TextField
          label="Email"
          type="email"
          value={userName}
          onChange={setUserName}
          name="lookup-email"
          placeholder="ann@contoso.com"
          autoCapitalize="none"
          spellCheck={false}
          required
          hint="Their role now, and whether a group's rule, an admin or the default gives it."
        />
        <button type="submit" className="button" disabled={state.kind === 'busy'}>
          {state.kind === 'busy' ? 'Looking up…' : 'Look up'}
        </button>
      </form>
      {state.kind === 'error' ? <Notice kind="error">{state.message}</Notice> : null}
      {state.kind === 'found' ? (
        <div className="notice ok lookup-result" role="status">
          <strong>{state.role.userName ?? userName}</strong>: {state.role.description}
          {state.role.source.kind === 'group' && state.role.assignedRole !== state.role.role ? (
            <span className="meta"> (their own role: {state.role.assignedRole})</span>
          ) : null}
        </div>
      ) : null}
    </section>
  )
}
