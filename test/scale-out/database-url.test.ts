// A wrong DATABASE_URL stops the start with a message naming the problem, never the password.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { runCli } from '../support/processes.ts'
import { POSTGRES_URL, postgresSkipReason } from '../support/postgres.ts'

const skip = await postgresSkipReason()

async function failure(databaseUrl: string): Promise<string> {
  try {
    await runCli({ DATABASE_URL: databaseUrl, ROLLCALL_SECRET: 's'.repeat(40) }, 'tenant', 'list')
  } catch (error) {
    const e = error as { code: number; stderr: string }
    assert.equal(e.code, 1)
    return e.stderr
  }
  assert.fail('the command should have failed')
}

describe('DATABASE_URL problems at start', () => {
  it('names an unreachable server', async () => {
    const message = await failure('postgres://rollcall:hunter2@127.0.0.1:1/rollcall')
    assert.match(message, /cannot reach the PostgreSQL server/)
    assert.match(message, /postgres:\/\/rollcall:\*\*\*\*@127\.0\.0\.1:1\/rollcall/)
    assert.doesNotMatch(message, /hunter2/)
  })

  it('names a missing database', { skip }, async () => {
    const url = new URL(POSTGRES_URL)
    url.password = 'hunter2'
    url.pathname = '/rollcall_no_such_database'
    const message = await failure(url.toString())
    assert.match(message, /does not exist/)
    assert.doesNotMatch(message, /hunter2/)
  })

  it('names refused credentials', { skip }, async () => {
    const url = new URL(POSTGRES_URL)
    url.username = 'rollcall_no_such_role'
    url.password = 'hunter2'
    const message = await failure(url.toString())
    assert.match(message, /refused the user or password/)
    assert.doesNotMatch(message, /hunter2/)
  })

  it('requires ROLLCALL_SECRET with DATABASE_URL', async () => {
    try {
      await runCli(
        { DATABASE_URL: 'postgres://x@127.0.0.1:1/x', ROLLCALL_SECRET: '' },
        'tenant',
        'list',
      )
      assert.fail('should fail')
    } catch (error) {
      assert.match((error as { stderr: string }).stderr, /ROLLCALL_SECRET must be set/)
    }
  })

  it('lists every invalid variable at once', async () => {
    try {
      await runCli(
        { PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' },
        'tenant',
        'list',
      )
      assert.fail('should fail')
    } catch (error) {
      const stderr = (error as { stderr: string }).stderr
      assert.match(stderr, /PORT/)
      assert.match(stderr, /DATABASE_URL/)
      assert.match(stderr, /LOG_LEVEL/)
    }
  })
})
