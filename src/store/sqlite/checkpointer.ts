// WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the COMMIT that
// crosses wal_autocheckpoint, on the caller's thread, and fsyncs the WAL and the database; the
// writer turns it off and this worker thread, with its own connection, checkpoints instead.
//
// The group committer holds the next batch back while a checkpoint runs: with no commit during
// it, the checkpoint copies the whole WAL, and the writer's next transaction rewinds the WAL to
// its start. Were commits to go on during checkpoints, the WAL could grow without end under
// steady load (a PASSIVE checkpoint never catches up with a WAL that grows while it copies).
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

// Plain CommonJS evaluated in the worker: no TypeScript loader needed there, and the worker
// loads only the driver.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file)
db.pragma('busy_timeout = 5000')
parentPort.on('message', () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
    parentPort.postMessage(null)
  } catch (error) {
    parentPort.postMessage(String((error && error.message) || error))
  }
})
`

export interface CheckpointerOptions {
  /** How long after a checkpoint the next may start, if the writer committed meanwhile. */
  readonly intervalMs?: number
}

export class Checkpointer {
  private worker: Worker | undefined
  private running: Promise<void> | undefined
  private lastStarted = Date.now()
  private commitsSince = 0
  private closed = false
  private readonly intervalMs: number

  constructor(
    private readonly file: string,
    /** Checkpoints on the caller's connection: the fallback when the worker cannot run. */
    private readonly checkpointHere: () => void,
    options: CheckpointerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 500
  }

  committed(): void {
    this.commitsSince++
  }

  /** A checkpoint to wait for before the next write batch, when one is due; else undefined. */
  due(): Promise<void> | undefined {
    if (this.running) return this.running
    if (this.closed || this.commitsSince === 0 || Date.now() - this.lastStarted < this.intervalMs)
      return undefined
    this.commitsSince = 0
    this.lastStarted = Date.now()
    const run = this.checkpoint().finally(() => {
      this.running = undefined
    })
    this.running = run
    return run
  }

  async close(): Promise<void> {
    this.closed = true
    await this.running
    const worker = this.worker
    this.worker = undefined
    await worker?.terminate()
  }

  private checkpoint(): Promise<void> {
    return new Promise<void>((resolve) => {
      let worker: Worker
      try {
        worker = this.worker ??= this.startWorker()
      } catch {
        this.fallback()
        resolve()
        return
      }
      const settle = (message: unknown) => {
        worker.off('error', fail)
        worker.unref()
        if (message !== null) this.fallback()
        resolve()
      }
      const fail = () => {
        worker.off('message', settle)
        this.worker = undefined
        this.fallback()
        resolve()
      }
      worker.once('message', settle)
      worker.once('error', fail)
      // Held while a checkpoint runs: a write batch (maybe the CLI's only work) waits for it.
      worker.ref()
      worker.postMessage(null)
    })
  }

  private startWorker(): Worker {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver, file: this.file },
      execArgv: [],
    })
    // An idle checkpointer must not keep a process (the CLI, a test) alive.
    worker.unref()
    return worker
  }

  private fallback(): void {
    try {
      this.checkpointHere()
    } catch {
      // A busy database: the next checkpoint tries again.
    }
  }
}
