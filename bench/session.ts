// One Rollcall under test for `npm run bench`: a fresh DATA_DIR (and, with --database-url, by
// default a fresh PostgreSQL database), the tenant "bench" and its SCIM token made by the CLI, and
// the server started, stopped and restarted on the same port around bulk loads.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openPostgresBulk, openSqliteBulk, tenantIdOf, type BulkDatabase } from './bulk-load.ts'
import { startCpuProbe, type CpuProbe } from './cpu.ts'
import { createFreshDatabase, dropDatabase, redactUrl } from './database.ts'
import { freePort, LOOPBACK, runCli, startChildServer, type ChildServer } from './server-process.ts'

// Used with --database-url when ROLLCALL_SECRET is unset: fixed, so repeated runs on one
// benchmark database can still decrypt the signing key created by the first.
const BENCH_POSTGRES_SECRET = 'rollcall-bench-secret-for-benchmark-databases-only'

export interface SessionOptions {
  readonly databaseUrl: string | undefined
  readonly freshDatabase: boolean
  readonly poolSize: number | undefined
  /** A running Rollcall: its tenant's SCIM base URL and token (nothing is started or loaded). */
  readonly url: string | undefined
  readonly token: string | undefined
}

export type Progress = (line: string) => void

/** Every session not yet disposed, for the signal handlers. */
export const openSessions = new Set<RollcallSession>()

export class RollcallSession {
  server: ChildServer | undefined
  private probe: CpuProbe | undefined

  private constructor(
    readonly origin: string,
    readonly baseUrl: string,
    readonly token: string,
    /** What the report says about the store. */
    readonly store: string,
    private readonly env: Record<string, string> | undefined,
    readonly dataDir: string | undefined,
    /** On PostgreSQL: the database Rollcall runs on (its backends' CPU is measured). */
    readonly database: string | undefined,
    private readonly fresh: { serverUrl: string; name: string } | undefined,
    private readonly progress: Progress,
  ) {
    openSessions.add(this)
  }

  /** Whether the bench owns the server (and may load its database and restart it). */
  get managed(): boolean {
    return this.env !== undefined
  }

  get engine(): 'sqlite' | 'postgres' {
    return this.env?.['DATABASE_URL'] === undefined ? 'sqlite' : 'postgres'
  }

  static async create(options: SessionOptions, progress: Progress): Promise<RollcallSession> {
    if (options.url !== undefined && options.token !== undefined) {
      if (options.databaseUrl !== undefined) progress('--database-url is ignored with --url')
      const baseUrl = options.url.replace(/\/+$/, '')
      return new RollcallSession(
        new URL(baseUrl).origin,
        baseUrl,
        options.token,
        'existing server',
        undefined,
        undefined,
        undefined,
        undefined,
        progress,
      )
    }
    const dataDir = await mkdtemp(join(tmpdir(), 'rollcall-bench-'))
    const port = await freePort()
    const env: Record<string, string> = {
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: LOOPBACK,
      LOG_LEVEL: 'warn',
    }
    let store = 'SQLite, fresh DATA_DIR'
    let database: string | undefined
    let fresh: { serverUrl: string; name: string } | undefined
    if (options.databaseUrl !== undefined) {
      let databaseUrl = options.databaseUrl
      let where = `database of ${redactUrl(databaseUrl)}`
      if (options.freshDatabase) {
        const created = await createFreshDatabase(options.databaseUrl)
        fresh = { serverUrl: options.databaseUrl, name: created.name }
        databaseUrl = created.url
        where = `fresh database ${created.name}`
        progress(`created database ${created.name} on ${redactUrl(options.databaseUrl)}`)
      }
      database = decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) || undefined
      env['DATABASE_URL'] = databaseUrl
      env['ROLLCALL_SECRET'] = process.env['ROLLCALL_SECRET'] ?? BENCH_POSTGRES_SECRET
      if (options.poolSize !== undefined) env['DATABASE_POOL_SIZE'] = String(options.poolSize)
      const pool =
        options.poolSize === undefined
          ? 'DATABASE_POOL_SIZE unset (10)'
          : `DATABASE_POOL_SIZE ${options.poolSize}`
      store = `PostgreSQL, ${where}, ${pool}`
    }
    progress(`DATA_DIR ${dataDir}: creating tenant "bench" and its SCIM token`)
    try {
      await runCli(['tenant', 'create', '--slug', 'bench', '--name', 'Bench'], env)
    } catch (error) {
      // A reused PostgreSQL database may keep the tenant of a previous run (--no-fresh-database);
      // the token issue below decides.
      if (options.databaseUrl === undefined || options.freshDatabase) throw error
      progress(`tenant create failed, trying the existing tenant: ${(error as Error).message}`)
    }
    const issued = await runCli(
      ['scim-token', 'issue', '--tenant', 'bench', '--force', '--json'],
      env,
    )
    const jsonLine = [...issued.split('\n')].reverse().find((line) => line.trim().startsWith('{'))
    const credentials = JSON.parse(jsonLine ?? '{}') as { baseUrl?: unknown; token?: unknown }
    if (typeof credentials.baseUrl !== 'string' || typeof credentials.token !== 'string') {
      throw new Error(`unexpected scim-token issue output: ${issued}`)
    }
    return new RollcallSession(
      `http://${LOOPBACK}:${port}`,
      credentials.baseUrl.replace(/\/+$/, ''),
      credentials.token,
      store,
      env,
      dataDir,
      database,
      fresh,
      progress,
    )
  }

  async start(): Promise<void> {
    if (this.env === undefined || this.server !== undefined) return
    this.progress(`starting Rollcall on port ${this.env['PORT']}`)
    this.server = await startChildServer('Rollcall', 'src/server.ts', Number(this.env['PORT']), {
      ...this.env,
    })
    this.probe = startCpuProbe(this.server.pid, this.database)
  }

  async stop(): Promise<void> {
    this.probe?.stop()
    this.probe = undefined
    const server = this.server
    this.server = undefined
    await server?.stop()
  }

  /** Cumulative CPU ms of the running server (and its PostgreSQL backends), if readable. */
  readonly cpu = () => this.probe?.read() ?? { serverMs: 0, databaseMs: undefined }

  get canReadCpu(): boolean {
    return this.probe !== undefined
  }

  /**
   * Runs `load` on the server's database with the server stopped (restarted afterwards if it was
   * running): on SQLite the loader must be the only writer, and a fresh start reads what was
   * loaded like any restart would.
   */
  async load<T>(load: (db: BulkDatabase, tenantId: string) => Promise<T>): Promise<T> {
    if (this.env === undefined) throw new Error('cannot bulk-load a server the bench did not start')
    const wasRunning = this.server !== undefined
    await this.stop()
    const url = this.env['DATABASE_URL']
    const db =
      url === undefined
        ? openSqliteBulk(join(this.env['DATA_DIR'] ?? '', 'rollcall.sqlite'))
        : await openPostgresBulk(url)
    let loaded: T
    try {
      loaded = await load(db, await tenantIdOf(db, 'bench'))
      await db.finish()
    } finally {
      await db.close()
    }
    if (wasRunning) await this.start()
    return loaded
  }

  /** Stops the server and removes the DATA_DIR and fresh database, unless `keep`. */
  async dispose(keep: boolean): Promise<void> {
    openSessions.delete(this)
    await this.stop()
    if (keep) {
      if (this.dataDir !== undefined) console.error(`DATA_DIR kept for inspection: ${this.dataDir}`)
      if (this.fresh !== undefined) {
        console.error(
          `Database kept for inspection: ${this.fresh.name} (drop it with: ` +
            `psql … -c 'DROP DATABASE ${this.fresh.name} WITH (FORCE)')`,
        )
      }
      return
    }
    if (this.dataDir !== undefined) {
      await rm(this.dataDir, { recursive: true, force: true }).catch(() => undefined)
    }
    if (this.fresh !== undefined) {
      try {
        await dropDatabase(this.fresh.serverUrl, this.fresh.name)
        this.progress(`dropped database ${this.fresh.name}`)
      } catch (error) {
        console.error(
          `could not drop the benchmark database ${this.fresh.name}: ${(error as Error).message}`,
        )
      }
    }
  }

  /** What a forced exit leaves behind, for its message. */
  leftBehind(): string[] {
    return this.fresh === undefined ? [] : [`benchmark database left behind: ${this.fresh.name}`]
  }
}
