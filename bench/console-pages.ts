// `npm run bench:console`: the server time of every admin API call the console's pages make on
// first load (issue #9: "every page answers in under 300 ms of server time with 100k users"). A
// real Rollcall process on a fresh SQLite DATA_DIR, one tenant filled by bulk SQL straight into
// its database file (100k users, ~1000 groups, one of them with every user, role rules, 100k
// provisioning log rows, sign-in log rows), a local Admin made by the CLI and signed in through
// /login; then, per call, a warm-up and N sequential requests on loopback (wall time there is
// server time plus a negligible transfer), reported as p50/p95/max with calls ≥ 300 ms flagged.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import pg from 'pg'
import { newGroupId, newUserId } from '../src/domain/ids.ts'
import {
  freePort,
  runCli,
  startChildServer,
  stopAllChildren,
  type ChildServer,
} from './server-process.ts'
import { createFreshDatabase, dropDatabase, type FreshDatabase } from './database.ts'

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '100000' },
    groups: { type: 'string', default: '1000' },
    'log-rows': { type: 'string', default: '100000' },
    requests: { type: 'string', default: '20' },
    'database-url': { type: 'string' },
  },
})
const USERS = Number(values.users)
const GROUPS = Number(values.groups)
const LOG_ROWS = Number(values['log-rows'])
const N = Number(values.requests)
const SMALL_GROUP_MEMBERS = 20
const SIGN_IN_ROWS = 10_000
const BUDGET_MS = 300
const SLUG = 'bench'
const ADMIN_EMAIL = 'admin@bench.example'
const PASSWORD = 'bench console pages password'

interface Seeded {
  readonly tenantId: string
  readonly bigGroupId: string
  readonly smallGroupId: string
  readonly middleUserId: string
}

/** Rows into one engine's tables, and single-row reads; `?` placeholders on both engines. */
interface Loader {
  insert(table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void>
  one<T>(query: string, params: readonly unknown[]): Promise<T>
  /** The plan of a query: EXPLAIN QUERY PLAN (SQLite) or EXPLAIN ANALYZE (PostgreSQL). */
  explain(query: string, params: readonly unknown[]): Promise<string[]>
  /** All rows of a query, timed. */
  timeAll(query: string, params: readonly unknown[]): Promise<{ rows: number; ms: number }>
  close(): Promise<void>
}

function sqliteLoader(file: string): Loader {
  const db = new Database(file)
  db.pragma('busy_timeout = 30000')
  return {
    async insert(table, columns, rows) {
      const statement = db.prepare(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      )
      db.transaction(() => {
        for (const row of rows) statement.run(...row)
      })()
    },
    async one<T>(query: string, params: readonly unknown[]) {
      return db.prepare(query).get(...params) as T
    },
    async explain(query, params) {
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${query}`).all(...params)
      return (plan as { detail: string }[]).map((step) => step.detail)
    },
    async timeAll(query, params) {
      const statement = db.prepare(query)
      statement.all(...params)
      const started = performance.now()
      const rows = statement.all(...params).length
      return { rows, ms: performance.now() - started }
    },
    async close() {
      db.close()
    },
  }
}

const numbered = (query: string) => {
  let n = 0
  return query.replace(/\?/g, () => `$${++n}`)
}

async function postgresLoader(url: string): Promise<Loader> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  return {
    async insert(table, columns, rows) {
      const batch = Math.floor(30_000 / columns.length)
      await client.query('BEGIN')
      for (let i = 0; i < rows.length; i += batch) {
        const part = rows.slice(i, i + batch)
        const tuples = part.map(
          (_, r) => `(${columns.map((_c, c) => `$${r * columns.length + c + 1}`).join(', ')})`,
        )
        await client.query(
          `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`,
          part.flat(),
        )
      }
      await client.query('COMMIT')
    },
    async one<T>(query: string, params: readonly unknown[]) {
      return (await client.query(numbered(query), [...params])).rows[0] as T
    },
    async explain(query, params) {
      const plan = await client.query(`EXPLAIN ANALYZE ${numbered(query)}`, [...params])
      return (plan.rows as { 'QUERY PLAN': string }[]).map((row) => row['QUERY PLAN'])
    },
    async timeAll(query, params) {
      await client.query(numbered(query), [...params])
      const started = performance.now()
      const rows = (await client.query(numbered(query), [...params])).rowCount ?? 0
      return { rows, ms: performance.now() - started }
    },
    async close() {
      await client.end()
    },
  }
}

interface Seeded {
  readonly tenantId: string
  readonly bigGroupId: string
  readonly smallGroupId: string
  readonly middleUserId: string
}

/** Bulk-inserts the directory, role rules and logs of the tenant. */
async function seed(db: Loader, tenantId: string): Promise<Seeded> {
  const at = new Date().toISOString()
  const userIds: string[] = []
  const people: unknown[][] = []
  const members: unknown[][] = []
  const emails: unknown[][] = []
  for (let i = 0; i < USERS; i++) {
    const id = newUserId()
    userIds.push(id)
    const userName = `user${i}@bench.example`
    const active = i % 10 === 0 ? 0 : 1
    const origin = i % 100 === 0 ? 'INTERNAL' : 'SCIM'
    const role = i % 1000 === 0 ? 'Admin' : i % 7 === 0 ? 'Editor' : 'Viewer'
    const displayName = `User ${i}`
    const doc = JSON.stringify({
      userName,
      displayName,
      active: active === 1,
      emails: [{ value: userName, type: 'work', primary: true }],
    })
    people.push([id, userName, at])
    members.push([
      tenantId,
      id,
      userName,
      userName,
      origin === 'SCIM' ? `ext-${i}` : null,
      displayName,
      displayName.toLowerCase(),
      active,
      origin,
      role,
      'Viewer',
      doc,
      1,
      at,
      at,
    ])
    emails.push([tenantId, id, 0, userName, userName, 'work', 1])
  }
  await db.insert('users', ['id', 'email_norm', 'created_at'], people)
  await db.insert(
    'tenant_users',
    [
      'tenant_id',
      'user_id',
      'user_name',
      'user_name_norm',
      'external_id',
      'display_name',
      'display_name_norm',
      'active',
      'origin',
      'role',
      'assigned_role',
      'doc',
      'version',
      'created_at',
      'updated_at',
    ],
    members,
  )
  await db.insert(
    'user_emails',
    ['tenant_id', 'user_id', 'position', 'value', 'value_norm', 'type', 'is_primary'],
    emails,
  )

  const groupIds: string[] = []
  const groups: unknown[][] = []
  const memberships: unknown[][] = []
  for (let g = 0; g < GROUPS; g++) {
    const id = newGroupId()
    groupIds.push(id)
    const name = g === 0 ? 'All staff' : `Team ${g}`
    const doc = JSON.stringify({ displayName: name })
    groups.push([tenantId, id, name, name.toLowerCase(), `gext-${g}`, 'SCIM', doc, 1, at, at])
    const memberIds =
      g === 0
        ? userIds
        : Array.from(
            { length: SMALL_GROUP_MEMBERS },
            (_, k) => userIds[(g * SMALL_GROUP_MEMBERS + k) % userIds.length] ?? '',
          )
    for (const userId of memberIds) memberships.push([tenantId, id, userId, 'User', 'SCIM', at])
  }
  await db.insert(
    'groups',
    [
      'tenant_id',
      'id',
      'display_name',
      'display_name_norm',
      'external_id',
      'origin',
      'doc',
      'version',
      'created_at',
      'updated_at',
    ],
    groups,
  )
  await db.insert(
    'group_members',
    ['tenant_id', 'group_id', 'member_id', 'member_type', 'origin', 'created_at'],
    memberships,
  )
  const rules: unknown[][] = [[tenantId, groupIds[0], 'Viewer', at]]
  for (let g = 1; g <= 20 && g < groupIds.length; g++) {
    rules.push([tenantId, groupIds[g], g % 5 === 0 ? 'Admin' : 'Editor', at])
  }
  await db.insert('role_rules', ['tenant_id', 'group_id', 'role', 'created_at'], rules)

  // The provisioning log over the last 30 days, oldest first (ids increase with time, as the
  // writer's do) and denser towards now; 5% failures.
  const now = Date.now()
  const span = 30 * 24 * 3600 * 1000
  const log: unknown[][] = []
  for (let i = 0; i < LOG_ROWS; i++) {
    const when = new Date(now - span * (1 - i / LOG_ROWS) ** 2).toISOString()
    const failed = i % 20 === 0
    const userId = userIds[i % userIds.length] ?? ''
    log.push([
      tenantId,
      when,
      `req-${i}`,
      i % 3 === 0 ? 'POST' : 'PATCH',
      `/scim/v2/Users/${userId}`,
      i % 3 === 0 ? 'createUser' : 'patchUser',
      'User',
      userId,
      failed ? 409 : 200,
      failed ? 'uniqueness' : null,
      failed ? 'userName is already taken' : null,
      3.5,
      'Microsoft.AzureAD/1.0',
      '10.0.0.1',
      '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}',
      '{"id":"x"}',
    ])
  }
  await db.insert(
    'provisioning_log',
    [
      'tenant_id',
      'at',
      'request_id',
      'method',
      'path',
      'operation',
      'resource_type',
      'resource_id',
      'status',
      'scim_type',
      'detail',
      'duration_ms',
      'client',
      'address',
      'request_body',
      'response_body',
    ],
    log,
  )
  const signIns = Array.from({ length: SIGN_IN_ROWS }, (_, i) => [
    tenantId,
    new Date(now - (SIGN_IN_ROWS - i) * 60_000).toISOString(),
    i % 10 === 0 ? 'failure' : 'success',
    `user${i}@bench.example`,
  ])
  await db.insert('sign_in_log', ['tenant_id', 'at', 'outcome', 'email'], signIns)

  const middle = await db.one<{ user_id: string }>(
    'SELECT user_id FROM tenant_users WHERE tenant_id = ? ORDER BY user_id LIMIT 1 OFFSET ?',
    [tenantId, Math.floor(USERS / 2)],
  )
  return {
    tenantId,
    bigGroupId: groupIds[0] ?? '',
    smallGroupId: groupIds[Math.floor(GROUPS / 2)] ?? '',
    middleUserId: middle.user_id,
  }
}

/**
 * The query behind GET …/groups/:id (store members.list, src/store/sql/members.ts): its plan, and
 * its time in the database alone for the 100k-member group, to tell the query from the response.
 */
async function explainGroupMembers(db: Loader, seeded: Seeded): Promise<void> {
  const query = `SELECT m.group_id, m.member_id, m.member_type, m.origin,
      u.display_name AS user_display, u.user_name, g.display_name AS group_display
    FROM group_members AS m
    LEFT JOIN tenant_users AS u ON u.tenant_id = m.tenant_id AND u.user_id = m.member_id
    LEFT JOIN groups AS g ON g.tenant_id = m.tenant_id AND g.id = m.member_id
    WHERE m.tenant_id = ? AND m.group_id IN (?)
    ORDER BY m.group_id, m.member_id`
  const params = [seeded.tenantId, seeded.bigGroupId]
  console.log('\nThe plan of members.list for the 100k-member group:\n')
  for (const line of await db.explain(query, params)) console.log(`    ${line}`)
  const { rows, ms } = await db.timeAll(query, params)
  console.log(`\nThe same query alone in the database: ${rows} rows in ${ms.toFixed(1)} ms.`)
}

/** Sets the Admin's password through the one-time link and signs in; answers the cookie header. */
async function signIn(server: ChildServer, link: string): Promise<string> {
  const path = new URL(link).pathname
  const set = await fetch(`${server.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.origin },
    body: `password=${encodeURIComponent(PASSWORD)}`,
  })
  if (set.status !== 200) throw new Error(`set-password: ${set.status} ${await set.text()}`)
  const login = await fetch(`${server.origin}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.origin },
    body: JSON.stringify({ tenant: SLUG, email: ADMIN_EMAIL, password: PASSWORD }),
  })
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`)
  const value = /rollcall_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1]
  if (!value) throw new Error('login set no rollcall_session cookie')
  return `rollcall_session=${value}`
}

interface Row {
  readonly page: string
  readonly call: string
  readonly bytes: number
  readonly p50: number
  readonly p95: number
  readonly max: number
}

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  return sorted[Math.max(0, index)] ?? Number.NaN
}

async function time(server: ChildServer, cookie: string, page: string, path: string) {
  const get = async () => {
    const response = await fetch(`${server.origin}${path}`, { headers: { cookie } })
    const body = await response.arrayBuffer()
    if (response.status !== 200) {
      throw new Error(`GET ${path}: ${response.status} ${Buffer.from(body).toString('utf8')}`)
    }
    return body.byteLength
  }
  await get()
  const samples: number[] = []
  let bytes = 0
  for (let i = 0; i < N; i++) {
    const started = performance.now()
    bytes = await get()
    samples.push(performance.now() - started)
  }
  samples.sort((a, b) => a - b)
  return {
    page,
    call: `GET ${path.replace(`/api/tenants/${SLUG}`, '…').replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id')}`,
    bytes,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    max: samples[samples.length - 1] ?? Number.NaN,
  } satisfies Row
}

const databaseUrl = values['database-url']
const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-console-pages-'))
const port = await freePort()
const publicUrl = `http://127.0.0.1:${port}`
let fresh: FreshDatabase | undefined
try {
  fresh = databaseUrl ? await createFreshDatabase(databaseUrl) : undefined
  const env = {
    DATA_DIR: dataDir,
    DATABASE_URL: fresh?.url ?? '',
    // Required with DATABASE_URL; the database is fresh and dropped afterwards, so any will do.
    ...(fresh ? { ROLLCALL_SECRET: randomBytes(32).toString('base64') } : {}),
    PUBLIC_URL: publicUrl,
    LOG_LEVEL: 'warn',
  }
  const server = await startChildServer('rollcall', 'src/server.ts', port, env)
  await runCli(['tenant', 'create', '--slug', SLUG, '--name', 'Bench'], env)
  const created = JSON.parse(
    await runCli(['admin', 'create', '--tenant', SLUG, '--email', ADMIN_EMAIL, '--json'], env),
  ) as Record<string, unknown>
  const link = Object.values(created).find(
    (v): v is string => typeof v === 'string' && v.startsWith('http'),
  )
  if (!link) throw new Error(`admin create printed no link: ${JSON.stringify(created)}`)

  const db = fresh
    ? await postgresLoader(fresh.url)
    : sqliteLoader(join(dataDir, 'rollcall.sqlite'))
  const tenant = await db.one<{ id: string }>('SELECT id FROM tenants WHERE slug = ?', [SLUG])
  const seedStarted = performance.now()
  const seeded = await seed(db, tenant.id)
  // PostgreSQL: the statistics autovacuum would gather after such a load soon enough; without
  // them the planner takes each table for a few rows (a nested loop over 100k × 1000 groups).
  if (fresh) await db.one('ANALYZE', [])
  const seedSeconds = (performance.now() - seedStarted) / 1000
  const cookie = await signIn(server, link)

  const t = `/api/tenants/${SLUG}`
  const calls: [string, string][] = [
    ['shell', '/api/session'],
    ['Users', `${t}/users?limit=50`],
    ['Users', `${t}/users?limit=50&search=user4`],
    ['Users', `${t}/users?limit=50&search=user77777%40`],
    ['Users', `${t}/users?limit=50&origin=INTERNAL`],
    ['Users', `${t}/users?limit=50&role=Admin`],
    ['Users', `${t}/users?limit=50&status=disabled`],
    ['Users', `${t}/users?limit=50&cursor=${seeded.middleUserId}`],
    ['Groups', `${t}/groups?page=1&limit=50`],
    ['Groups', `${t}/groups?page=10&limit=50&search=team`],
    ['Group (100k members)', `${t}/groups/${seeded.bigGroupId}`],
    ['Group (20 members)', `${t}/groups/${seeded.smallGroupId}`],
    ['Domains', `${t}/domains`],
    ['Enterprise Connection', `${t}/connections`],
    ['Enterprise Connection', `${t}/sign-in-log?limit=200`],
    ['Roles', `${t}/role-rules`],
    ['Roles', `${t}/role-rules/groups?search=team`],
    ['Roles', `${t}/role-lookup?userName=user7%40bench.example`],
    ['SCIM Provisioning', `${t}/scim`],
    ['Provisioning log', `${t}/provisioning-log`],
    ['Provisioning log', `${t}/provisioning-log?outcome=failure`],
    ['Provisioning log', `${t}/provisioning-log/activity?range=hour`],
    ['Provisioning log', `${t}/provisioning-log/activity?range=day`],
    ['Provisioning log', `${t}/provisioning-log/activity?range=month`],
    ['Provisioning log', `${t}/provisioning-log/${Math.floor(LOG_ROWS / 2)}`],
    ['Hand back', `${t}/hand-back`],
  ]
  const rows: Row[] = []
  for (const [page, path] of calls) rows.push(await time(server, cookie, page, path))
  await server.stop()

  const [one, five, fifteen] = loadavg().map((l) => l.toFixed(2))
  console.log(
    `\n${USERS} users, ${GROUPS} groups (one with ${USERS} members, the rest ` +
      `${SMALL_GROUP_MEMBERS}), ${LOG_ROWS} provisioning log rows, ${SIGN_IN_ROWS} sign-in log rows; ` +
      `${fresh ? 'PostgreSQL' : 'SQLite'}; seeded in ${seedSeconds.toFixed(1)} s; N=${N} sequential requests after a ` +
      `warm-up; ${cpus().length} CPUs, load average ${one} ${five} ${fifteen}\n`,
  )
  console.log('| page | call | bytes | p50 ms | p95 ms | max ms | |')
  console.log('| --- | --- | ---: | ---: | ---: | ---: | --- |')
  for (const r of rows) {
    const flag = r.max >= BUDGET_MS ? `**≥ ${BUDGET_MS} ms**` : ''
    console.log(
      `| ${r.page} | \`${r.call}\` | ${r.bytes} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ` +
        `${r.max.toFixed(1)} | ${flag} |`,
    )
  }
  await explainGroupMembers(db, seeded)
  await db.close()
  const slow = rows.filter((r) => r.max >= BUDGET_MS)
  console.log(
    slow.length === 0
      ? `\nEvery call under ${BUDGET_MS} ms (max).`
      : `\n${slow.length} call(s) at or over ${BUDGET_MS} ms.`,
  )
} finally {
  await stopAllChildren()
  if (fresh && databaseUrl) await dropDatabase(databaseUrl, fresh.name)
  rmSync(dataDir, { recursive: true, force: true })
}
