// WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the COMMIT that
// crosses wal_autocheckpoint, on the caller's thread, and fsyncs the WAL and the database; the
// writer turns it off and this worker thread, with its own connection, checkpoints instead.
//
// Checkpoints run while writes go on, which copies most of the WAL into the database but does
// not let the WAL rewind: SQLite rewinds it only when a write transaction starts after a
// checkpoint that copied all of it. So once the WAL has grown past `restartFrames`, the group
// committer holds the next batch back while a checkpoint runs: with no commit during it, that
// checkpoint copies the rest (little: the earlier ones copied the bulk), and the writer's next
// transaction rewinds the WAL to its start. Without it, the WAL would grow without end under
// steady load.
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
    const [result] = db.pragma('wal_checkpoint(PASSIVE)')
    parentPort.postMessage({ frames: result.log })
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) })
  }
})
`

export interface CheckpointerOptions {
  /** How long after a checkpoint the next may start, if the writer committed meanwhile. */
  readonly intervalMs?: number
  /** WAL frames (pages) past which the next checkpoint holds writes back to rewind the WAL. */
  readonly restartFrames?: number
}

export class Checkpointer {
  private worker: Worker | undefined
  private running: Promise<void> | undefined
  /** Whether the running checkpoint holds writes back. */
  private runningHolds = false
  /** The WAL's length in frames at the last checkpoint. */
  private walFrames = 0
  private lastStarted = Date.now()
  private commitsSince = 0
  private closed = false
  private readonly intervalMs: number
  private readonly restartFrames: number

  constructor(
    private readonly file: string,
    /**
     * Checkpoints on the caller's connection (the fallback when the worker cannot run) and
     * returns the WAL's length in frames.
     */
    private readonly checkpointHere: () => number,
    options: CheckpointerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 500
    this.restartFrames = options.restartFrames ?? 4096
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
      const settle = (message: { frames?: number; error?: string }) => {
        worker.off('error', fail)
        worker.unref()
        if (message.frames === undefined) this.fallback()
        else this.walFrames = message.frames
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
      this.walFrames = this.checkpointHere()
    } catch {
      // A busy database: the next checkpoint tries again.
    }
  }
}
