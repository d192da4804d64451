// GET /Groups/{id} with its members (RFC 7644 §3.4.1) in bounded memory: a group of up to
// STREAM_ABOVE SCIM members is rendered as one object, as before; a larger one is written as a
// stream, the JSON around `members` rendered and projected once and the members read page by page
// (a keyset on the member id) and written as they come. A million members are then ~150 MB of
// JSON on the wire, never an array of a million objects and one string in memory. The pages are
// separate reads: a change committed while a large group is being written may or may not appear
// in it (each member at most once), as between the pages of a list (RFC 7644 §3.4.2.4).
import { Readable } from 'node:stream'
import type { ProvisioningContext } from '../../../provisioning/context.ts'
import { renderGroup, renderMember, type ScimResource } from '../../../provisioning/render.ts'
import { projectResource, type ProjectionOptions } from '../../../scim/resources/project.ts'
import { GROUP_RESOURCE_TYPE } from '../../../scim/schemas/index.ts'
import type { GroupRecord, MemberRecord } from '../../../store/store.ts'

/** Members read per query, and the most a group may have to be rendered as one object. */
const PAGE = 2000
const STREAM_ABOVE = PAGE

/** Stands for the members array in the rendered group; no member's JSON can contain it. */
const MARK = '\u0000members\u0000'

/** Every sub-attribute set, so that the projection shows which of them a member keeps. */
const PROBE: MemberRecord = {
  memberId: 'probe' as MemberRecord['memberId'],
  memberType: 'User',
  origin: 'SCIM',
  display: 'probe',
}

/** The group with its SCIM-origin members (G5), projected: an object, or a stream of its JSON. */
export async function groupWithMembers(
  ctx: ProvisioningContext,
  group: GroupRecord,
  projection: ProjectionOptions,
): Promise<Record<string, unknown> | Readable> {
  const members = ctx.store.forTenant(ctx.tenant.id).members
  const first = await members.scan(group.id, { limit: STREAM_ABOVE + 1, origin: 'SCIM' })
  const project = (items: readonly MemberRecord[]) =>
    projectResource(renderGroup(group, items, ctx.baseUrl), GROUP_RESOURCE_TYPE, projection)
  if (first.length <= STREAM_ABOVE) return project(first)

  const template = project([PROBE])
  const probed = (template.members as ScimResource[] | undefined)?.[0]
  if (probed === undefined) return project([])
  const keys = Object.keys(probed)
  template.members = MARK
  const json = JSON.stringify(template)
  const at = json.indexOf(JSON.stringify(MARK))
  const head = json.slice(0, at)
  const tail = json.slice(at + JSON.stringify(MARK).length)
  const itemJson = (m: MemberRecord) => {
    const rendered = renderMember(m, ctx.baseUrl)
    const item: ScimResource = {}
    for (const key of keys) if (rendered[key] !== undefined) item[key] = rendered[key]
    return JSON.stringify(item)
  }

  async function* chunks(): AsyncGenerator<string> {
    yield `${head}[${first.map(itemJson).join(',')}`
    let last = first[first.length - 1]
    while (last !== undefined) {
      const page = await members.scan(group.id, {
        after: last.memberId,
        limit: PAGE,
        origin: 'SCIM',
      })
      if (page.length > 0) yield `,${page.map(itemJson).join(',')}`
      last = page.length === PAGE ? page[page.length - 1] : undefined
    }
    yield `]${tail}`
  }
  return Readable.from(chunks(), { objectMode: false })
}
