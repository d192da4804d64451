// `npx rollcall user …`: add INTERNAL members to a tenant and list its users.
import { addInternalUser } from '../../directory/internal.ts'
import { tenantBySlug } from '../../directory/tenants.ts'
import { allUsers } from '../../directory/users.ts'
import { defineCommand } from '../command.ts'
import { json } from '../output.ts'
import { TENANT } from '../shared-options.ts'

export const userAdd = defineCommand({
  name: 'user add',
  summary: 'add a person to a tenant as an INTERNAL member',
  options: {
    tenant: TENANT,
    email: { type: 'string', value: 'E', required: true, help: 'their email (identifies them)' },
    role: { type: 'string', value: 'R', help: 'Admin, Editor or Viewer (default Viewer)' },
    name: { type: 'string', value: 'DISPLAY', help: 'their display name' },
  },
  json: '{"id", "email", "role", "origin", "active"}',
  check: (o) => ({
    slug: o.required('tenant'),
    email: o.required('email'),
    role: o.string('role'),
    displayName: o.string('name'),
  }),
  async run({ runtime, io, json: asJson }, { slug, email, role, displayName }) {
    const tenant = await tenantBySlug(runtime.store, slug)
    const user = await addInternalUser(runtime.store, tenant, { email, role, displayName })
    io.out(
      asJson
        ? json({
            id: user.id,
            email: user.userName,
            role: user.role,
            origin: user.origin,
            active: user.active,
          })
        : `Added ${user.userName} to ${tenant.slug} as ${user.role} (INTERNAL, id ${user.id}).`,
    )
  },
})

export const userList = defineCommand({
  name: 'user list',
  summary: "list a tenant's users",
  options: { tenant: TENANT },
  json: 'an array of {"id", "userName", "displayName", "role", "origin", "active"}',
  check: (o) => ({ slug: o.required('tenant') }),
  async run({ runtime, io, json: asJson }, { slug }) {
    const tenant = await tenantBySlug(runtime.store, slug)
    const view = []
    for await (const u of allUsers(runtime.store, tenant)) {
      view.push({
        id: u.id,
        userName: u.userName,
        displayName: u.displayName,
        role: u.role,
        origin: u.origin,
        active: u.active,
      })
    }
    if (asJson) io.out(json(view))
    else if (view.length === 0) io.out(`No users in ${tenant.slug}.`)
    else {
      for (const u of view) {
        io.out(
          `${u.userName}\t${u.origin}\t${u.role}\t${u.active ? 'active' : 'inactive'}\t${u.id}`,
        )
      }
    }
  },
})
