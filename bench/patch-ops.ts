// `npm run bench:patch`: the cost of one PATCH with many operations (issue #7 part 4), so a
// request's work stays linear in its operations and values: the engine alone (N adds to a user's
// emails, N single-member adds to a group), the whole PATCH of a group on a fresh SQLite file,
// and 1,000 filtered operations over a user with N emails.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { newGroupId, newTenantId, newUserId, type UserId } from '../src/domain/ids.ts'
import { patchGroup } from '../src/provisioning/groups.ts'
import type { ProvisioningContext } from '../src/provisioning/context.ts'
import { applyPatch } from '../src/scim/patch/apply-patch.ts'
import { LENIENT_QUIRKS } from '../src/scim/resources/quirks.ts'
import { GROUP_RESOURCE_TYPE, PATCH_OP_URN, USER_RESOURCE_TYPE } from '../src/scim/schemas/index.ts'
import { openSqliteStore } from '../src/store/sqlite/open-sqlite.ts'

const { values } = parseArgs({
  options: {
    ops: { type: 'string', default: '1000,5000,15000' },
    emails: { type: 'string', default: '1000,5000,20000' },
  },
})
const sizes = values.ops.split(',').map(Number)
const emailCounts = values.emails.split(',').map(Number)

const patchBody = (operations: unknown[]) => ({ schemas: [PATCH_OP_URN], Operations: operations })

function timed(fn: () => unknown): number {
  const start = process.hrtime.bigint()
  fn()
  return Number(process.hrtime.bigint() - start) / 1e6
}

async function timedAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint()
  await fn()
  return Number(process.hrtime.bigint() - start) / 1e6
}

async function groupPatch(n: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'rollcall-patch-'))
  const store = openSqliteStore(join(dir, 'patch.sqlite'))
  try {
    await store.migrate()
    const at = new Date().toISOString()
    const tenant = await store.tenants.create({
      id: newTenantId(),
      slug: 'bench',
      name: 'bench',
      createdAt: at,
    })
    const ids: UserId[] = []
    await store.transaction(async (tx) => {
      const ts = tx.forTenant(tenant.id)
      for (let i = 0; i < n; i++) {
        const id = newUserId()
        const userName = `user${i}@bench.example`
        await ts.users.insertIdentity(id, userName, at)
        await ts.users.insert(
          id,
          {
            userName,
            externalId: null,
            displayName: null,
            active: true,
            doc: { userName },
            emails: [],
          },
          { origin: 'SCIM', role: 'Viewer' },
          at,
        )
        ids.push(id)
      }
    })
    const group = await store
      .forTenant(tenant.id)
      .groups.insert(
        newGroupId(),
        { displayName: 'Everyone', externalId: null, doc: { displayName: 'Everyone' } },
        'SCIM',
        at,
      )
    const ctx: ProvisioningContext = {
      store,
      tenant,
      baseUrl: 'http://bench/scim/v2/bench',
      quirks: LENIENT_QUIRKS,
      warnings: [],
    }
    const body = patchBody(
      ids.map((id) => ({ op: 'add', path: 'members', value: [{ value: id }] })),
    )
    const ms = await timedAsync(() => patchGroup(ctx, group.id, body, undefined))
    const members = (await store.forTenant(tenant.id).members.list([group.id])).get(group.id) ?? []
    if (members.length !== n) throw new Error(`expected ${n} members, got ${members.length}`)
    return ms
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const rows: string[] = []
for (const n of sizes) {
  const emailAdds = patchBody(
    Array.from({ length: n }, (_, i) => ({
      op: 'add',
      path: 'emails',
      value: [{ value: `alias${i}@bench.example`, type: 'other' }],
    })),
  )
  const memberAdds = patchBody(
    Array.from({ length: n }, (_, i) => ({
      op: 'add',
      path: 'members',
      value: [{ value: `m${i}` }],
    })),
  )
  const userDoc = {
    userName: 'a@bench.example',
    emails: [{ value: 'a@bench.example', primary: true }],
  }
  const emails = timed(() => applyPatch(emailAdds, userDoc, USER_RESOURCE_TYPE, LENIENT_QUIRKS))
  const members = timed(() =>
    applyPatch(memberAdds, { displayName: 'g' }, GROUP_RESOURCE_TYPE, LENIENT_QUIRKS),
  )
  const group = await groupPatch(n)
  rows.push(
    `| ${n.toLocaleString('en')} | ${emails.toFixed(0)} | ${members.toFixed(0)} | ${group.toFixed(0)} |`,
  )
}
console.log(
  '| operations | applyPatch: email adds (ms) | applyPatch: member adds (ms) | patchGroup on SQLite (ms) |',
)
console.log('|---:|---:|---:|---:|')
for (const row of rows) console.log(row)

const filtered: string[] = []
for (const n of emailCounts) {
  const doc = {
    userName: 'a@bench.example',
    emails: Array.from({ length: n }, (_, i) => ({
      value: `alias${i}@bench.example`,
      type: 'other',
    })),
  }
  const thousand = (operation: (i: number) => unknown) =>
    patchBody(Array.from({ length: 1000 }, (_, i) => operation(Math.floor((i * n) / 1000))))
  const removes = thousand((i) => ({
    op: 'remove',
    path: `emails[value eq "alias${i}@bench.example"]`,
  }))
  const replaces = thousand((i) => ({
    op: 'replace',
    path: `emails[value eq "alias${i}@bench.example"].type`,
    value: 'work',
  }))
  const removeMs = timed(() => applyPatch(removes, doc, USER_RESOURCE_TYPE, LENIENT_QUIRKS))
  const replaceMs = timed(() => applyPatch(replaces, doc, USER_RESOURCE_TYPE, LENIENT_QUIRKS))
  filtered.push(`| ${n.toLocaleString('en')} | ${removeMs.toFixed(0)} | ${replaceMs.toFixed(0)} |`)
}
console.log()
console.log(
  '| emails of the user | 1,000 × remove emails[value eq …] (ms) | 1,000 × replace emails[value eq …].type (ms) |',
)
console.log('|---:|---:|---:|')
for (const row of filtered) console.log(row)
