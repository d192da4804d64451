// Child process of crash.test.ts: writes settings concurrently through the store and prints each
// key once its write is acknowledged, until killed.
import { openSqliteStore } from '../../../src/store/sqlite/open-sqlite.ts'

const store = openSqliteStore(process.argv[2] as string, {
  checkpointIntervalMs: 20,
  walRestartPages: 50,
})
await store.migrate()
let next = 0
async function writer(): Promise<void> {
  for (;;) {
    const key = `key-${next++}`
    await store.transaction((tx) => tx.settings.set(key, 'value', new Date().toISOString()))
    process.stdout.write(`${key}\n`)
  }
}
await Promise.all(Array.from({ length: 8 }, writer))
