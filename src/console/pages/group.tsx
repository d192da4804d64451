// A group (SPEC §1 G2–G5): its members with the origin of each membership; add a user as an
// INTERNAL member (of SCIM groups too, G4) and remove INTERNAL members. A SCIM member's Remove
// button is disabled, with the reason. Members come a page at a time (Previous/Next by cursor).
import { useId, useState } from 'react'
import { ApiError, messageOf } from '../api/client.ts'
import { addMember, getGroup, MEMBER_PAGE_SIZE, removeMember } from '../api/groups.ts'
import type { GroupDetail, GroupMember, UserView } from '../api/types.ts'
import { listUsers } from '../api/users.ts'
import { Empty, Failed, Loading, Notice } from '../components/states.tsx'
import { TextField } from '../components/text-field.tsx'
import { usePageTitle } from '../page-title.ts'
import { Link } from '../router.tsx'
import { useDebounced } from '../use-debounced.ts'
import { useResource } from '../use-resource.ts'
import { OriginBadge, Pager } from './users.tsx'

type Outcome = { readonly kind: 'ok' | 'error'; readonly text: string }

export function GroupPage({ tenant, id }: { readonly tenant: string; readonly id: string }) {
  // The cursors of the member pages walked so far: [undefined, after page 1, after page 2, …],
  // for this group; another group starts again at the first page.
  const [walk, setWalk] = useState<{
    readonly key: string
    readonly cursors: readonly (string | undefined)[]
  }>({ key: id, cursors: [undefined] })
  const cursors = walk.key === id ? walk.cursors : [undefined]
  const setCursors = (
    change: (current: readonly (string | undefined)[]) => readonly (string | undefined)[],
  ) => setWalk({ key: id, cursors: change(cursors) })
  const pageIndex = cursors.length - 1
  const cursor = cursors[pageIndex]
  const [group, { reload }] = useResource(() => getGroup(tenant, id, cursor), [tenant, id, cursor])
  usePageTitle(group.kind === 'loaded' ? group.value.displayName : 'Group')
  const [outcome, setOutcome] = useState<Outcome | undefined>()
  // Who is a member, as an add, the API's refusal (409) or a removal told us: a page of the group
  // holds only some of its members, so it cannot say who else is one. Kept here, so that a
  // removal below lets the add form offer the user again.
  const [known, setKnown] = useState<{
    readonly groupId: string
    readonly ids: ReadonlySet<string>
  }>({ groupId: id, ids: new Set() })
  const knownMembers = known.groupId === id ? known.ids : new Set<string>()
  const learn = (userId: string, isMember: boolean) => {
    const ids = new Set(knownMembers)
    if (isMember) ids.add(userId)
    else ids.delete(userId)
    setKnown({ groupId: id, ids })
  }

  return (
    <>
      <div className="breadcrumb">
        <Link to="/groups">Groups</Link> ›
      </div>
      {group.kind === 'loading' ? <Loading what="the group" /> : null}
      {group.kind === 'failed' ? <Failed message={group.message} onRetry={reload} /> : null}
      {group.kind === 'loaded' ? (
        <>
          <div className="page-header">
            <h1>
              {group.value.displayName} <OriginBadge origin={group.value.origin} />
            </h1>
            {group.value.origin === 'SCIM' ? (
              <p className="lead">
                Your identity provider controls this group through SCIM. Its SCIM members are
                managed there; you can add and remove INTERNAL members here.
              </p>
            ) : (
              <p className="lead">An INTERNAL group: you manage its members here.</p>
            )}
          </div>
          <AddMemberForm
            tenant={tenant}
            group={group.value}
            memberIds={knownMembers}
            onMember={(user) => learn(user.id, true)}
            onAdded={(user) => {
              setOutcome({ kind: 'ok', text: `${user.email} was added as an INTERNAL member.` })
              reload()
            }}
          />
          {outcome ? <Notice kind={outcome.kind}>{outcome.text}</Notice> : null}
          <Members
            tenant={tenant}
            group={group.value}
            onRemoved={(member) => {
              learn(member.id, false)
              setOutcome({ kind: 'ok', text: `${member.display ?? member.id} was removed.` })
              // The last member of a later page went: show the page before it.
              if (pageIndex > 0 && group.value.members.length === 1) {
                setCursors((c) => c.slice(0, -1))
              } else {
                reload()
              }
            }}
            onFailed={(message) => setOutcome({ kind: 'error', text: message })}
          />
          {group.value.membersTotal > 0 ? (
            <Pager
              first={pageIndex * MEMBER_PAGE_SIZE + 1}
              count={group.value.members.length}
              total={group.value.membersTotal}
              hasPrevious={pageIndex > 0}
              hasNext={group.value.nextCursor !== null}
              onPrevious={() => setCursors((c) => c.slice(0, -1))}
              onNext={() => {
                const next = group.value.nextCursor
                if (next) setCursors((c) => [...c, next])
              }}
            />
          ) : null}
        </>
      ) : null}
    </>
  )
}

/** Find a user of the tenant by email or name, and add them. */
function AddMemberForm({
  tenant,
  group,
  memberIds,
  onMember,
  onAdded,
}: {
  readonly tenant: string
  readonly group: GroupDetail
  /** Users known to be members (they get "Already a member" instead of Add). */
  readonly memberIds: ReadonlySet<string>
  /** The API said the user is a member (an add, or its 409). */
  readonly onMember: (user: UserView) => void
  readonly onAdded: (user: UserView) => void
}) {
  const [search, setSearch] = useState('')
  const settled = useDebounced(search.trim(), 300)
  const [state, setState] = useState<{ busyId?: string; error?: string }>({})
  const [found] = useResource(
    () =>
      settled === ''
        ? Promise.resolve(undefined)
        : listUsers(tenant, { search: settled }, undefined, 5),
    [tenant, settled],
  )
  const add = (user: UserView) => {
    setState({ busyId: user.id })
    addMember(tenant, group.id, user.id).then(
      () => {
        onMember(user)
        setState({})
        setSearch('')
        onAdded(user)
      },
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 409) onMember(user)
        setState({ error: messageOf(error) })
      },
    )
  }
  return (
    <section className="panel" aria-labelledby="add-member-heading">
      <h2 id="add-member-heading">Add a member</h2>
      <TextField
        label="Find a user by email or name"
        value={search}
        onChange={setSearch}
        name="member-search"
        type="search"
        autoCapitalize="none"
        spellCheck={false}
        hint="They join the group as an INTERNAL member, which SCIM never removes."
      />
      {settled !== '' && found.kind === 'loading' ? <Loading what="users" /> : null}
      {found.kind === 'failed' ? <Notice kind="error">{found.message}</Notice> : null}
      {found.kind === 'loaded' && found.value !== undefined ? (
        found.value.items.length === 0 ? (
          <p className="hint">No user matches “{settled}”.</p>
        ) : (
          <ul className="candidates" aria-label="Matching users">
            {found.value.items.map((user) => (
              <li key={user.id}>
                <span>
                  {user.displayName ? `${user.displayName} · ` : ''}
                  {user.email}
                </span>
                {memberIds.has(user.id) ? (
                  <span className="hint">Already a member</span>
                ) : (
                  <button
                    type="button"
                    className="button small"
                    disabled={state.busyId !== undefined}
                    onClick={() => add(user)}
                  >
                    Add<span className="visually-hidden"> {user.email}</span>
                  </button>
                )}
              </li>
            ))}
          </ul>
        )
      ) : null}
      {state.error ? <Notice kind="error">{state.error}</Notice> : null}
    </section>
  )
}

function Members({
  tenant,
  group,
  onRemoved,
  onFailed,
}: {
  readonly tenant: string
  readonly group: GroupDetail
  readonly onRemoved: (member: GroupMember) => void
  readonly onFailed: (message: string) => void
}) {
  const [busyId, setBusyId] = useState<string | undefined>()
  const remove = (member: GroupMember) => {
    setBusyId(member.id)
    removeMember(tenant, group.id, member.id).then(
      () => {
        setBusyId(undefined)
        onRemoved(member)
      },
      (error: unknown) => {
        setBusyId(undefined)
        onFailed(messageOf(error))
      },
    )
  }
  return (
    <section aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      <p className="hint">
        {group.membersTotal === 1 ? '1 member' : `${group.membersTotal.toLocaleString()} members`}
      </p>
      {group.membersTotal === 0 ? (
        <Empty title="No member yet">Find a user above to add them.</Empty>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Type</th>
              <th scope="col">Origin</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {group.members.map((member) => (
              <MemberRow
                key={member.id}
                member={member}
                isBusy={busyId === member.id}
                onRemove={() => remove(member)}
              />
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

function MemberRow({
  member,
  isBusy,
  onRemove,
}: {
  readonly member: GroupMember
  readonly isBusy: boolean
  readonly onRemove: () => void
}) {
  const id = useId()
  const name = member.display ?? member.id
  const refusal = member.removalRefusal
  return (
    <tr data-member={name}>
      <td>{name}</td>
      <td>{member.type}</td>
      <td>
        <OriginBadge origin={member.origin} />
      </td>
      <td>
        <button
          type="button"
          className="button small"
          disabled={isBusy || refusal !== undefined}
          title={refusal}
          aria-describedby={refusal ? `${id}-reason` : undefined}
          onClick={onRemove}
        >
          {isBusy ? 'Removing…' : 'Remove'}
          <span className="visually-hidden"> {name}</span>
        </button>
        {refusal ? (
          <p className="hint reason" id={`${id}-reason`}>
            {refusal}
          </p>
        ) : null}
      </td>
    </tr>
  )
}
