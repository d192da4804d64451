// `npx rollcall domain …`: a tenant's email domains and their DNS TXT verification.
import { userInfo } from 'node:os'
import { dnsTxtResolver } from '../../directory/dns-resolver.ts'
import {
  addDomain,
  domainView,
  listDomains,
  removeDomain,
  verifyDomain,
  type DomainView,
} from '../../directory/domains.ts'
import { tenantBySlug } from '../../directory/tenants.ts'
import { defineCommand, UsageError, type CommandIo, type OptionSpec } from '../command.ts'
import { json } from '../output.ts'
import { TENANT } from '../shared-options.ts'

const DOMAIN: OptionSpec = {
  type: 'string',
  value: 'D',
  required: true,
  help: 'the email domain, e.g. contoso.com',
}

function printDomain(io: CommandIo, view: DomainView): void {
  const how =
    view.status === 'verified'
      ? `verified ${view.verifiedAt ?? ''} (${view.verifiedMethod === 'operator' ? `vouched for by ${view.verifiedBy ?? 'the operator'}` : 'DNS'})`
      : 'pending'
  io.out(`${view.domain}\t${how}`)
  if (view.status === 'pending') {
    io.out(`  TXT record name:   ${view.txtName}`)
    io.out(`  TXT record value:  ${view.txtValue}`)
  }
}

export const domainAdd = defineCommand({
  name: 'domain add',
  summary: 'add an email domain to a tenant (prints the DNS TXT record that proves it)',
  description:
    "Adds a pending domain and prints the DNS TXT record to publish at the domain's DNS " +
    'provider; then `domain verify` looks it up. Refused when another tenant verified the domain.',
  options: { tenant: TENANT, domain: DOMAIN },
  json: 'exactly {"domain": "…", "txtName": "…", "txtValue": "…"}',
  check: (o) => ({ slug: o.required('tenant'), domain: o.required('domain') }),
  async run({ runtime, io, json: asJson }, { slug, domain }) {
    const tenant = await tenantBySlug(runtime.store, slug)
    const view = domainView(await addDomain(runtime.store, tenant, domain))
    if (asJson) {
      // Exactly {"domain": "...", "txtName": "...", "txtValue": "..."}, for scripts.
      io.out(
        `{"domain": ${JSON.stringify(view.domain)}, "txtName": ${JSON.stringify(view.txtName)}, ` +
          `"txtValue": ${JSON.stringify(view.txtValue)}}`,
      )
      return
    }
    io.out(`Added ${view.domain} to ${tenant.slug}. Publish this DNS TXT record:`)
    io.out(`  name:   ${view.txtName}`)
    io.out(`  value:  ${view.txtValue}`)
    io.out(`then: npx rollcall domain verify --tenant ${tenant.slug} --domain ${view.domain}`)
  },
})

export const domainVerify = defineCommand({
  name: 'domain verify',
  summary: "verify a tenant's domain by its DNS TXT record (or, as the operator, --force)",
  description:
    'Looks up the TXT record `domain add` printed and marks the domain verified. With --force the ' +
    'operator vouches for the domain without DNS; that is recorded with --by (default: the ' +
    'operating-system user) and the time.',
  options: {
    tenant: TENANT,
    domain: DOMAIN,
    force: { type: 'boolean', help: 'vouch for the domain as the operator, without DNS' },
    by: { type: 'string', value: 'NAME', help: 'who vouches (with --force), recorded' },
  },
  json: 'the domain {"domain", "status", "txtName", "txtValue", "verifiedAt", "verifiedMethod", "verifiedBy", "createdAt"}',
  check: (o) => {
    const by = o.string('by')
    if (by !== undefined && !o.flag('force')) throw new UsageError('--by goes with --force.')
    if (by !== undefined && (by.trim() === '' || by.length > 200)) {
      throw new UsageError('--by takes a name of 1 to 200 characters.')
    }
    return { slug: o.required('tenant'), domain: o.required('domain'), force: o.flag('force'), by }
  },
  async run({ runtime, io, json: asJson }, { slug, domain, force, by }) {
    const tenant = await tenantBySlug(runtime.store, slug)
    const verified = await verifyDomain(
      runtime.store,
      tenant,
      domain,
      force
        ? { method: 'operator', by: by?.trim() ?? `${userInfo().username} (CLI)` }
        : { method: 'dns', resolve: dnsTxtResolver(runtime.config.domainVerification) },
    )
    const view = domainView(verified)
    if (asJson) io.out(json(view))
    else printDomain(io, view)
  },
})

export const domainList = defineCommand({
  name: 'domain list',
  summary: "list a tenant's domains, with their status and TXT records",
  options: { tenant: TENANT },
  json: 'an array of domains (domain, status, txtName, txtValue, verifiedAt, verifiedMethod, verifiedBy, createdAt)',
  check: (o) => ({ slug: o.required('tenant') }),
  async run({ runtime, io, json: asJson }, { slug }) {
    const tenant = await tenantBySlug(runtime.store, slug)
    const views = (await listDomains(runtime.store, tenant)).map(domainView)
    if (asJson) io.out(json(views))
    else if (views.length === 0) {
      io.out(`No domains in ${tenant.slug}. Add one with \`npx rollcall domain add\`.`)
    } else for (const view of views) printDomain(io, view)
  },
})

export const domainRemove = defineCommand({
  name: 'domain remove',
  summary: 'remove a domain from a tenant (it stops routing and admitting people)',
  options: { tenant: TENANT, domain: DOMAIN },
  json: '{"domain", "removed": true}',
  check: (o) => ({ slug: o.required('tenant'), domain: o.required('domain') }),
  async run({ runtime, io, json: asJson }, { slug, domain }) {
    const tenant = await tenantBySlug(runtime.store, slug)
    const removed = await removeDomain(runtime.store, tenant, domain)
    io.out(
      asJson ? json({ domain: removed, removed: true }) : `Removed ${domain} from ${tenant.slug}.`,
    )
  },
})
