// `npx rollcall group …`: create INTERNAL groups and show a group with its members.
import { createInternalGroup, showGroup } from '../../directory/internal.ts'
import { tenantBySlug } from '../../directory/tenants.ts'
import { defineCommand } from '../command.ts'
import { json } from '../output.ts'
import { TENANT } from '../shared-options.ts'

export const groupCreate = defineCommand({
  name: 'group create',
  summary: 'create an INTERNAL group',
  options: {
    tenant: TENANT,
    name: { type: 'string', value: 'N', required: true, help: 'its name (unique in the tenant)' },
    member: { type: 'string', value: 'E', multiple: true, help: 'the email of a member' },
  },
  json: '{"id", "displayName", "origin", "members"}',
  check: (o) => ({
    slug: o.required('tenant'),
    name: o.required('name'),
    members: o.list('member'),
  }),
  async run({ runtime, io, json: asJson }, { slug, name, members }) {
    const tenant = await tenantBySlug(runtime.store, slug)
    const group = await createInternalGroup(runtime.store, tenant, { name, memberEmails: members })
    io.out(
      asJson
        ? json({
            id: group.id,
            displayName: group.displayName,
            origin: group.origin,
            members: members.length,
          })
        : `Created group "${group.displayName}" in ${tenant.slug} (INTERNAL, id ${group.id}) ` +
            `with ${members.length} member(s).`,
    )
  },
})

export const groupShow = defineCommand({
  name: 'group show',
  summary: 'show a group and its members',
  options: {
    tenant: TENANT,
    name: { type: 'string', value: 'N', required: true, help: 'its name (any case)' },
  },
  json: '{"id", "displayName", "externalId", "origin", "members": [{"id", "type", "display", "origin"}]}',
  check: (o) => ({ slug: o.required('tenant'), name: o.required('name') }),
  async run({ runtime, io, json: asJson }, { slug, name }) {
    const tenant = await tenantBySlug(runtime.store, slug)
    const { group, members } = await showGroup(runtime.store, tenant, name)
    const view = {
      id: group.id,
      displayName: group.displayName,
      externalId: group.externalId,
      origin: group.origin,
      members: members.map((m) => ({
        id: m.memberId,
        type: m.memberType,
        display: m.display,
        origin: m.origin,
      })),
    }
    if (asJson) {
      io.out(json(view))
    } else {
      io.out(`${view.displayName} (${view.origin}, id ${view.id})`)
      for (const m of view.members) io.out(`  ${m.display ?? m.id}\t${m.type}\t${m.origin}`)
    }
  },
})
