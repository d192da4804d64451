// The Store over Kysely, shared by SQLite and PostgreSQL: wiring only. The queries live in one
// repository per aggregate beside this file; the dialect supplies capabilities (JSON access) and
// error translation, which wraps the connection itself (translating-dialect.ts).
import { Kysely, sql, type Dialect, type Transaction } from 'kysely'
import type { TenantId } from '../../domain/ids.ts'
import type { SqlDialect } from './filter/sql-dialect.ts'
import type { EventLog, Store, TenantStore } from '../store.ts'
import { SqlApiKeys } from './api-keys.ts'
import { SqlAuthorizationStateLookup, SqlAuthorizationStates } from './authorization-states.ts'
import { SqlConnectionLookup, SqlConnections } from './connections.ts'
import type { SqlContext } from './context.ts'
import { SqlDomainOwnership, SqlDomains } from './domains.ts'
import { SqlEventLog, SqlTenantEvents } from './events.ts'
import { GroupCommitter, type GroupCommitHooks } from './group-commit.ts'
import { SqlGroups } from './groups.ts'
import { SqlLoginFailures } from './login-failures.ts'
import { SqlMembers } from './members.ts'
import { runMigrations } from './migrate.ts'
import { SqlOidcClients, SqlOidcKeys } from './oidc-clients.ts'
import { SqlOidcModels } from './oidc-models.ts'
import { SqlOneTimeTokenLookup, SqlOneTimeTokens } from './one-time-tokens.ts'
import { PageCursors } from './page-cursors.ts'
import { PageMilestones } from './page-milestones.ts'
import { TenantCache } from './tenant-cache.ts'
import { SqlOrigins } from './origins.ts'
import { SqlPeople } from './people.ts'
import { SqlProvisioningLog, SqlProvisioningLogRetention } from './provisioning-log.ts'
import { SqlRoleRules } from './role-rules.ts'
import { SqlServiceSettings } from './service-settings.ts'
import { SqlSessionLookup, SqlSessions } from './sessions.ts'
import { SqlSignInLog, SqlSignInLogRetention } from './sign-in-log.ts'
import { SqlSigningKeys } from './signing-keys.ts'
import type { Database } from './tables.ts'
import { SqlTenants, SqlTenantScim } from './tenants.ts'
import { translatingDialect, type TranslateError } from './translating-dialect.ts'
import { SqlUsers } from './users.ts'
import { SqlWebhookDeliveries } from './webhook-deliveries.ts'
import { SqlWebhookEndpoints } from './webhooks.ts'

export interface SqlStoreOptions {
  /** The connection (a Kysely dialect) that writes and runs transactions. */
  readonly connection: Dialect
  /**
   * A second connection for reads outside transactions (SQLite: reads then never queue behind
   * a write batch holding the single write connection). Defaults to `connection`.
   */
  readonly readConnection?: Dialect
  readonly dialect: SqlDialect
  /** Translates a driver error into UniqueViolation / StoreUnavailable, or returns it unchanged. */
  readonly translateError: TranslateError
  /** Runs once before migrations (PostgreSQL takes an advisory lock there). */
  readonly withMigrationLock?: <T>(fn: () => Promise<T>) => Promise<T>
  readonly onClose?: () => Promise<void>
  /** Runs before the connections close (SQLite: stops the checkpointer, whose connection would
   * otherwise keep the writer's close from checkpointing the WAL). */
  readonly beforeClose?: () => Promise<void>
  /** Batch concurrent transactions into one commit (SQLite; see group-commit.ts). */
  readonly groupCommit?: boolean | GroupCommitHooks
  /**
   * Hears of event commits by other instances (PostgreSQL: LISTEN) and calls `wake` for each;
   * returns the function that stops it. Started by the first EventLog.subscribe(), stopped by
   * close(). Without it only this process's commits wake the subscribers.
   */
  readonly eventWakeUps?: (wake: () => void) => () => Promise<void>
}

/** What a store and the stores of its transactions share. */
interface Shared {
  readonly options: SqlStoreOptions
  readonly root: Kysely<Database>
  readonly readDb: Kysely<Database>
  readonly cursors: PageCursors
  readonly milestones: PageMilestones
  readonly tenants: TenantCache
  /** Wake-ups for readers of the event log (EventLog.subscribe). */
  readonly eventListeners: Set<() => void>
  /**
   * The first event position of each transaction that appended and is not yet durable, when
   * commits become durable after they are visible (SQLite's group commit); else undefined.
   * Counted: a request rolled back within its batch gives its positions to the next one.
   */
  readonly eventsInFlight: Map<number, number> | undefined
  /** Stops the other instances' wake-ups (options.eventWakeUps), once started. */
  stopWakeUps?: () => Promise<void>
  closed?: boolean
}

function announceEvents(shared: Shared): void {
  for (const listener of shared.eventListeners) {
    try {
      listener()
    } catch {
      // A listener's failure is its own; the others still hear of the commit.
    }
  }
}

/** One tenant's repositories, each built on first use: forTenant runs on every request. */
class SqlTenantStore implements TenantStore {
  private _users?: SqlUsers
  private _groups?: SqlGroups
  private _members?: SqlMembers
  private _roleRules?: SqlRoleRules
  private _origins?: SqlOrigins
  private _connections?: SqlConnections
  private _domains?: SqlDomains
  private _provisioningLog?: SqlProvisioningLog
  private _signInLog?: SqlSignInLog
  private _sessions?: SqlSessions
  private _oneTimeTokens?: SqlOneTimeTokens
  private _authorizationStates?: SqlAuthorizationStates
  private _scim?: SqlTenantScim
  private _events?: SqlTenantEvents

  constructor(
    private readonly ctx: SqlContext,
    readonly tenantId: TenantId,
  ) {}

  get users(): SqlUsers {
    return (this._users ??= new SqlUsers(this.ctx, this.tenantId))
  }
  get groups(): SqlGroups {
    return (this._groups ??= new SqlGroups(this.ctx, this.tenantId))
  }
  get members(): SqlMembers {
    return (this._members ??= new SqlMembers(this.ctx, this.tenantId))
  }
  get roleRules(): SqlRoleRules {
    return (this._roleRules ??= new SqlRoleRules(this.ctx, this.tenantId))
  }
  get origins(): SqlOrigins {
    return (this._origins ??= new SqlOrigins(this.ctx, this.tenantId))
  }
  get connections(): SqlConnections {
    return (this._connections ??= new SqlConnections(this.ctx, this.tenantId))
  }
  get domains(): SqlDomains {
    return (this._domains ??= new SqlDomains(this.ctx, this.tenantId))
  }
  get provisioningLog(): SqlProvisioningLog {
    return (this._provisioningLog ??= new SqlProvisioningLog(this.ctx, this.tenantId))
  }
  get signInLog(): SqlSignInLog {
    return (this._signInLog ??= new SqlSignInLog(this.ctx, this.tenantId))
  }
  get sessions(): SqlSessions {
    return (this._sessions ??= new SqlSessions(this.ctx, this.tenantId))
  }
  get oneTimeTokens(): SqlOneTimeTokens {
    return (this._oneTimeTokens ??= new SqlOneTimeTokens(this.ctx, this.tenantId))
  }
  get authorizationStates(): SqlAuthorizationStates {
    return (this._authorizationStates ??= new SqlAuthorizationStates(this.ctx, this.tenantId))
  }
  get scim(): SqlTenantScim {
    return (this._scim ??= new SqlTenantScim(this.ctx, this.tenantId))
  }
  get events(): SqlTenantEvents {
    return (this._events ??= new SqlTenantEvents(this.ctx, this.tenantId))
  }
}

export class SqlStore implements Store {
  readonly dialect: 'sqlite' | 'postgres'
  private readonly ctx: SqlContext
  private readonly committer: GroupCommitter<Database, Store> | undefined
  private _tenants?: SqlTenants
  private _people?: SqlPeople
  private _connections?: SqlConnectionLookup
  private _domains?: SqlDomainOwnership
  private _authorizationStates?: SqlAuthorizationStateLookup
  private _oneTimeTokens?: SqlOneTimeTokenLookup
  private _sessions?: SqlSessionLookup
  private _loginFailures?: SqlLoginFailures
  private _signingKeys?: SqlSigningKeys
  private _provisioningLog?: SqlProvisioningLogRetention
  private _signInLog?: SqlSignInLogRetention
  private _settings?: SqlServiceSettings
  private _events?: EventLog
  private _webhooks?: SqlWebhookEndpoints
  private _webhookDeliveries?: SqlWebhookDeliveries
  private _apiKeys?: SqlApiKeys
  private _oidcModels?: SqlOidcModels
  private _oidcClients?: SqlOidcClients
  private _oidcKeys?: SqlOidcKeys
  /** Whether this transaction's store appended events (announced after its commit). */
  private appendedEvents = false
  /** The first position this transaction's store appended, while tracked in eventsInFlight. */
  private firstAppended: number | undefined

  /** A store over `options.connection`, every driver call translated by `options.translateError`. */
  static open(options: SqlStoreOptions): SqlStore {
    const connect = (dialect: Dialect) =>
      new Kysely<Database>({ dialect: translatingDialect(dialect, options.translateError) })
    const root = connect(options.connection)
    const readDb = options.readConnection ? connect(options.readConnection) : root
    const durableLater = typeof options.groupCommit === 'object' && !!options.groupCommit.durable
    return new SqlStore(
      {
        options,
        root,
        readDb,
        cursors: new PageCursors(2000),
        milestones: new PageMilestones(64),
        eventListeners: new Set(),
        eventsInFlight: durableLater ? new Map() : undefined,
        tenants: new TenantCache(),
      },
      root,
    )
  }

  private constructor(
    private readonly shared: Shared,
    /** The root connection, or the transaction this store runs in. */
    private readonly db: Kysely<Database>,
  ) {
    const { options } = shared
    this.dialect = options.dialect.name
    this.ctx = {
      db,
      reader: db.isTransaction ? db : shared.readDb,
      dialect: options.dialect,
      cursors: shared.cursors,
      milestones: shared.milestones,
      tenants: shared.tenants,
      eventsAppended: (firstPosition) => {
        // Outside a transaction the append has committed already.
        if (!db.isTransaction) return announceEvents(shared)
        this.appendedEvents = true
        const inFlight = shared.eventsInFlight
        if (inFlight && this.firstAppended === undefined) {
          this.firstAppended = firstPosition
          inFlight.set(firstPosition, (inFlight.get(firstPosition) ?? 0) + 1)
        }
      },
      eventsVisibleBelow: () => {
        const inFlight = shared.eventsInFlight
        if (db.isTransaction || !inFlight || inFlight.size === 0) return undefined
        let lowest = Infinity
        for (const position of inFlight.keys()) if (position < lowest) lowest = position
        return lowest
      },
    }
    this.committer =
      options.groupCommit && !db.isTransaction
        ? new GroupCommitter<Database, Store>(
            db,
            (trx) => new SqlStore(shared, trx),
            options.translateError,
            options.groupCommit === true ? {} : options.groupCommit,
          )
        : undefined
  }

  private translate(error: unknown): unknown {
    return this.shared.options.translateError(error)
  }

  async migrate(): Promise<void> {
    const run = () => runMigrations(this.db, this.dialect)
    const lock = this.shared.options.withMigrationLock
    const groupCommit = this.shared.options.groupCommit
    try {
      await (lock ? lock(run) : run())
      // Migrations commit outside the group committer: make them durable like its batches.
      if (typeof groupCommit === 'object') await groupCommit.durable?.()
    } catch (error) {
      throw this.translate(error)
    }
  }

  async transaction<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return fn(this)
    let inner: SqlStore | undefined
    const run = (store: Store): Promise<T> => {
      inner = store as SqlStore
      return fn(store)
    }
    let result: T
    if (this.committer) {
      try {
        result = await this.committer.run(run)
      } finally {
        // Durable now (or rolled back): its events may be read.
        const first = inner?.firstAppended
        const inFlight = this.shared.eventsInFlight
        if (first !== undefined && inFlight) {
          const count = (inFlight.get(first) ?? 1) - 1
          if (count > 0) inFlight.set(first, count)
          else inFlight.delete(first)
        }
      }
    } else {
      try {
        result = await this.db
          .transaction()
          .execute((trx: Transaction<Database>) => run(new SqlStore(this.shared, trx)))
      } catch (error) {
        throw this.translate(error)
      }
    }
    if (inner?.appendedEvents) announceEvents(this.shared)
    return result
  }

  forTenant(tenantId: TenantId): TenantStore {
    return new SqlTenantStore(this.ctx, tenantId)
  }

  get tenants(): SqlTenants {
    return (this._tenants ??= new SqlTenants(this.ctx))
  }
  get people(): SqlPeople {
    return (this._people ??= new SqlPeople(this.ctx))
  }
  get connections(): SqlConnectionLookup {
    return (this._connections ??= new SqlConnectionLookup(this.ctx))
  }
  get domains(): SqlDomainOwnership {
    return (this._domains ??= new SqlDomainOwnership(this.ctx))
  }
  get authorizationStates(): SqlAuthorizationStateLookup {
    return (this._authorizationStates ??= new SqlAuthorizationStateLookup(this.ctx))
  }
  get oneTimeTokens(): SqlOneTimeTokenLookup {
    return (this._oneTimeTokens ??= new SqlOneTimeTokenLookup(this.ctx))
  }
  get sessions(): SqlSessionLookup {
    return (this._sessions ??= new SqlSessionLookup(this.ctx))
  }
  get loginFailures(): SqlLoginFailures {
    return (this._loginFailures ??= new SqlLoginFailures(this.ctx))
  }
  get signingKeys(): SqlSigningKeys {
    return (this._signingKeys ??= new SqlSigningKeys(this.ctx, (fn) =>
      this.transaction((store) => fn((store as SqlStore).ctx)),
    ))
  }
  get provisioningLog(): SqlProvisioningLogRetention {
    return (this._provisioningLog ??= new SqlProvisioningLogRetention(this.ctx))
  }
  get signInLog(): SqlSignInLogRetention {
    return (this._signInLog ??= new SqlSignInLogRetention(this.ctx))
  }
  get settings(): SqlServiceSettings {
    return (this._settings ??= new SqlServiceSettings(this.ctx))
  }
  get events(): EventLog {
    const shared = this.shared
    const listeners = shared.eventListeners
    return (this._events ??= Object.assign(new SqlEventLog(this.ctx), {
      subscribe(listener: () => void): () => void {
        const start = shared.options.eventWakeUps
        if (start && !shared.stopWakeUps && !shared.closed) {
          shared.stopWakeUps = start(() => announceEvents(shared))
        }
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
    }))
  }

  get webhooks(): SqlWebhookEndpoints {
    return (this._webhooks ??= new SqlWebhookEndpoints(this.ctx))
  }
  get webhookDeliveries(): SqlWebhookDeliveries {
    return (this._webhookDeliveries ??= new SqlWebhookDeliveries(this.ctx))
  }
  get apiKeys(): SqlApiKeys {
    return (this._apiKeys ??= new SqlApiKeys(this.ctx))
  }
  get oidcModels(): SqlOidcModels {
    return (this._oidcModels ??= new SqlOidcModels(this.ctx))
  }
  get oidcClients(): SqlOidcClients {
    return (this._oidcClients ??= new SqlOidcClients(this.ctx))
  }
  get oidcKeys(): SqlOidcKeys {
    return (this._oidcKeys ??= new SqlOidcKeys(this.ctx, (fn) =>
      this.transaction((store) => fn((store as SqlStore).ctx)),
    ))
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db)
  }

  async close(): Promise<void> {
    this.shared.closed = true
    await this.shared.stopWakeUps?.()
    const { root, readDb, options } = this.shared
    await options.beforeClose?.()
    await root.destroy()
    if (readDb !== root) await readDb.destroy()
    await options.onClose?.()
  }
}
