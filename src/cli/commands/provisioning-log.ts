// `npx rollcall provisioning-log`: a tenant's recorded SCIM requests, newest first.
import { tenantBySlug } from '../../directory/tenants.ts'
import { defineCommand } from '../command.ts'
import { json } from '../output.ts'
import { limitOf, TENANT } from '../shared-options.ts'

export const provisioningLog = defineCommand({
  name: 'provisioning-log',
  summary: "the tenant's SCIM requests, newest first",
  options: {
    tenant: TENANT,
    limit: { type: 'string', value: 'N', help: 'at most N entries, 1 to 10000 (default 50)' },
    failures: { type: 'boolean', help: 'failed requests only' },
  },
  json: 'an array of entries (time, method, path, operation, status, scimType, detail, …)',
  check: (o) => ({
    slug: o.required('tenant'),
    limit: limitOf(o.string('limit')),
    failuresOnly: o.flag('failures'),
  }),
  async run({ runtime, io, json: asJson }, { slug, limit, failuresOnly }) {
    const tenant = await tenantBySlug(runtime.store, slug)
    const entries = await runtime.store
      .forTenant(tenant.id)
      .provisioningLog.list({ limit, failuresOnly })
    if (asJson) {
      io.out(json(entries))
      return
    }
    if (entries.length === 0) io.out('No provisioning requests recorded yet.')
    for (const e of entries) {
      const outcome = e.status < 400 ? 'ok' : `FAILED${e.scimType ? ` (${e.scimType})` : ''}`
      io.out(
        `${e.at}  ${String(e.status).padEnd(3)} ${outcome.padEnd(8)} ${e.operation.padEnd(14)} ` +
          `${e.resourceId ?? ''}  ${e.durationMs.toFixed(1)}ms` +
          (e.detail ? `\n    ${e.detail}` : ''),
      )
    }
  },
})
