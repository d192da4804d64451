// `npx rollcall admin create`: bootstrap or break-glass Admin with a set-password link.
import { ensureAdmin } from '../../directory/internal.ts'
import { tenantBySlug } from '../../directory/tenants.ts'
import { issueSetPasswordLink } from '../../sessions/local-login.ts'
import { defineCommand } from '../command.ts'
import { json } from '../output.ts'
import { TENANT } from '../shared-options.ts'

export const adminCreate = defineCommand({
  name: 'admin create',
  summary: 'make a person an Admin and print a set-password link',
  description:
    'Makes the person an Admin of the tenant (adding them as an INTERNAL member if needed) and ' +
    'prints a one-time set-password link, valid 24 hours, for local sign-in at /login ' +
    '(bootstrap and break-glass).',
  options: {
    tenant: TENANT,
    email: { type: 'string', value: 'E', required: true, help: 'their email' },
  },
  json: '{"id", "email", "promoted", "setPasswordUrl"}',
  printsUrls: true,
  check: (o) => ({ slug: o.required('tenant'), email: o.required('email') }),
  async run({ runtime, publicUrl, io, json: asJson }, { slug, email }) {
    const tenant = await tenantBySlug(runtime.store, slug)
    const { user, promoted } = await ensureAdmin(runtime.store, tenant, email)
    const link = await issueSetPasswordLink(runtime.store, publicUrl, {
      tenantId: tenant.id,
      userId: user.id,
    })
    if (asJson) {
      io.out(json({ id: user.id, email: user.userName, promoted, setPasswordUrl: link }))
      return
    }
    io.out(
      `${user.userName} is ${promoted ? 'now' : 'created as'} an Admin of ${tenant.slug} (id ${user.id}).`,
    )
    io.out(`Set-password link (valid 24 hours, works once): ${link}`)
  },
})
