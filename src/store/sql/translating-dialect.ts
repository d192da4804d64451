// Error translation as part of the connection: every statement, transaction command and
// connection checkout of a SqlStore passes through the engine's translateError, so no driver error
// leaves the store, whichever repository method sent it, and no caller has to remember it.
import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely'

/** Maps a driver error to UniqueViolation / StoreUnavailable, or returns it unchanged. */
export type TranslateError = (error: unknown) => unknown

class TranslatingConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    private readonly translate: TranslateError,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await this.inner.executeQuery<R>(query)
    } catch (error) {
      throw this.translate(error)
    }
  }

  async *streamQuery<R>(
    query: CompiledQuery,
    chunkSize?: number,
  ): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(query, chunkSize)
    } catch (error) {
      throw this.translate(error)
    }
  }
}

type Compile = QueryCompiler['compileQuery']

class TranslatingDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly translate: TranslateError,
  ) {}

  private async run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (error) {
      throw this.translate(error)
    }
  }

  init(): Promise<void> {
    return this.run(() => this.inner.init())
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.run(() => this.inner.acquireConnection())
    return new TranslatingConnection(connection, this.translate)
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.run(() => this.inner.beginTransaction(innerOf(connection), settings))
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.run(() => this.inner.commitTransaction(innerOf(connection)))
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.run(() => this.inner.rollbackTransaction(innerOf(connection)))
  }

  savepoint(connection: DatabaseConnection, name: string, compile: Compile): Promise<void> {
    return this.run(() =>
      supported(this.inner.savepoint).call(this.inner, innerOf(connection), name, compile),
    )
  }

  rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: Compile,
  ): Promise<void> {
    return this.run(() =>
      supported(this.inner.rollbackToSavepoint).call(
        this.inner,
        innerOf(connection),
        name,
        compile,
      ),
    )
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: Compile): Promise<void> {
    return this.run(() =>
      supported(this.inner.releaseSavepoint).call(this.inner, innerOf(connection), name, compile),
    )
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.run(() => this.inner.releaseConnection(innerOf(connection)))
  }

  destroy(): Promise<void> {
    return this.inner.destroy()
  }
}

function innerOf(connection: DatabaseConnection): DatabaseConnection {
  return connection instanceof TranslatingConnection ? connection.inner : connection
}

function supported<F>(method: F | undefined): F {
  if (method === undefined) throw new Error('the driver does not support savepoints')
  return method
}

/** `dialect` with every driver call's failure passed through `translate`. */
export function translatingDialect(dialect: Dialect, translate: TranslateError): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new TranslatingDriver(dialect.createDriver(), translate),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  }
}
