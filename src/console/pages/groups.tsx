// Groups (SPEC §1 G1–G6, §5): the tenant's groups with their origin, searched by name and paged on
// the server; create an INTERNAL group. A group's page lists its members (group.tsx).
import { useState, type FormEvent } from 'react'
import { messageOf } from '../api/client.ts'
import { createGroup, GROUP_PAGE_SIZE, listGroups } from '../api/groups.ts'
import { Empty, Failed, Loading, Notice } from '../components/states.tsx'
import { TextField } from '../components/text-field.tsx'
import { formatDateTime } from '../format.ts'
import { usePageTitle } from '../page-title.ts'
import { Link, navigate } from '../router.tsx'
import { useDebounced } from '../use-debounced.ts'
import { useResource } from '../use-resource.ts'
import { OriginBadge, Pager } from './users.tsx'

export function GroupsPage({ tenant }: { readonly tenant: string }) {
  usePageTitle('Groups')
  const [search, setSearch] = useState('')
  const settled = useDebounced(search.trim(), 300)
  const [paging, setPaging] = useState({ search: '', page: 1 })
  const page = paging.search === settled ? paging.page : 1
  const [groups, { reload }] = useResource(
    () => listGroups(tenant, settled, page),
    [tenant, settled, page],
  )

  return (
    <>
      <div className="page-header">
        <h1>Groups</h1>
        <p className="lead">
          Groups your identity provider provisions through SCIM have origin SCIM: their SCIM members
          are managed there, but you can add and remove INTERNAL members of any group.
        </p>
      </div>

      <CreateGroupForm
        tenant={tenant}
        onCreated={(id) => navigate(`/groups/${encodeURIComponent(id)}`)}
      />

      <section aria-labelledby="groups-heading">
        <h2 id="groups-heading">Groups of {tenant}</h2>
        <form
          role="search"
          aria-label="Find groups"
          className="filters"
          onSubmit={(event) => event.preventDefault()}
        >
          <TextField
            label="Search by name"
            value={search}
            onChange={setSearch}
            name="search"
            type="search"
            spellCheck={false}
          />
        </form>
        {groups.kind === 'loading' ? <Loading what="groups" /> : null}
        {groups.kind === 'failed' ? <Failed message={groups.message} onRetry={reload} /> : null}
        {groups.kind === 'loaded' && groups.value.items.length === 0 ? (
          settled ? (
            <Empty title="No group matches">Change the search above.</Empty>
          ) : (
            <Empty title="No group yet">
              Create one above, or let your identity provider provision groups through SCIM.
            </Empty>
          )
        ) : null}
        {groups.kind === 'loaded' && groups.value.items.length > 0 ? (
          <>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Origin</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {groups.value.items.map((group) => (
                  <tr key={group.id} data-group={group.displayName}>
                    <td>
                      <Link to={`/groups/${encodeURIComponent(group.id)}`}>
                        {group.displayName}
                      </Link>
                    </td>
                    <td>
                      <OriginBadge origin={group.origin} />
                    </td>
                    <td>{formatDateTime(group.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager
              first={(page - 1) * GROUP_PAGE_SIZE + 1}
              count={groups.value.items.length}
              total={groups.value.total}
              hasPrevious={page > 1}
              hasNext={page * GROUP_PAGE_SIZE < groups.value.total}
              onPrevious={() => setPaging({ search: settled, page: page - 1 })}
              onNext={() => setPaging({ search: settled, page: page + 1 })}
            />
          </>
        ) : null}
      </section>
    </>
  )
}

function CreateGroupForm({
  tenant,
  onCreated,
}: {
  readonly tenant: string
  readonly onCreated: (id: string) => void
}) {
  const [name, setName] = useState('')
  const [state, setState] = useState<{ isBusy: boolean; error?: string }>({ isBusy: false })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    setState({ isBusy: true })
    createGroup(tenant, name.trim()).then(
      (group) => {
        setState({ isBusy: false })
        onCreated(group.id)
      },
      (error: unknown) => setState({ isBusy: false, error: messageOf(error) }),
    )
  }
  return (
    <form className="panel inline-form" onSubmit={submit} aria-label="Create a group">
      <TextField
        label="Group name"
        value={name}
        onChange={setName}
        name="displayName"
        required
        hint="Unique in the tenant, whatever the case. The group's origin is INTERNAL."
      />
      <button type="submit" className="button primary" disabled={state.isBusy}>
        {state.isBusy ? 'Creating…' : 'Create group'}
      </button>
      {state.error ? <Notice kind="error">{state.error}</Notice> : null}
    </form>
  )
}
