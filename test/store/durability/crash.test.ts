// A process killed right after acknowledging writes loses none of them: an acknowledgement comes
// only after the commit (and its WAL flush, docs/durability.md).
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { openSqliteStore } from '../../../src/store/sqlite/open-sqlite.ts'

const child = fileURLToPath(new URL('./write-then-ack.ts', import.meta.url))

test('a SIGKILL right after acknowledgements loses no acknowledged write', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rollcall-crash-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'rollcall.sqlite')
  const process = spawn(globalThis.process.execPath, ['--import', 'tsx', child, file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const acknowledged: string[] = []
  let partial = ''
  await new Promise<void>((resolve, reject) => {
    process.on('error', reject)
    process.on('exit', () => resolve())
    process.stdout.setEncoding('utf8')
    process.stdout.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n')
      partial = lines.pop() ?? ''
      acknowledged.push(...lines)
      // Enough writes for several batches and checkpoints; killed in the middle of the stream.
      if (acknowledged.length >= 600 && process.exitCode === null) process.kill('SIGKILL')
    })
  })
  assert.ok(acknowledged.length >= 600)

  const store = openSqliteStore(file)
  t.after(() => store.close())
  const missing: string[] = []
  for (const key of acknowledged) {
    if ((await store.settings.get(key)) === undefined) missing.push(key)
  }
  assert.deepEqual(missing, [])
})
