// `npx rollcall sign-in-log`: a tenant's recorded sign-ins and verifications, newest first.
import { tenantBySlug } from '../../directory/tenants.ts'
import { defineCommand } from '../command.ts'
import { json } from '../output.ts'
import { limitOf, TENANT } from '../shared-options.ts'

export const signInLog = defineCommand({
  name: 'sign-in-log',
  summary: "the tenant's sign-ins and verifications, newest first",
  options: {
    tenant: TENANT,
    limit: { type: 'string', value: 'N', help: 'at most N entries, 1 to 10000 (default 50)' },
  },
  json: 'an array of entries (at, connectionId, outcome, email, detail)',
  check: (o) => ({ slug: o.required('tenant'), limit: limitOf(o.string('limit')) }),
  async run({ runtime, io, json: asJson }, { slug, limit }) {
    const tenant = await tenantBySlug(runtime.store, slug)
    const entries = await runtime.store.forTenant(tenant.id).signInLog.list({ limit })
    if (asJson) {
      io.out(json(entries))
      return
    }
    if (entries.length === 0) io.out('No sign-ins recorded yet.')
    for (const e of entries) {
      io.out(
        `${e.at}  ${e.outcome.padEnd(20)} ${e.email ?? '-'}  ${e.connectionId ?? 'local'}` +
          (e.detail ? `\n    ${e.detail}` : ''),
      )
    }
  },
})
