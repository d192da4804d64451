// `npx rollcall migrate`: applies the database migrations explicitly (every command already
// does when it opens the database).
import { defineCommand } from '../command.ts'

export const migrate = defineCommand({
  name: 'migrate',
  summary: 'apply the database migrations',
  description:
    'Brings the database (DATA_DIR or DATABASE_URL) to the latest version. Optional: the server ' +
    'and every command also migrate when they start, once, under a lock.',
  options: {},
  json: '{"migrated": true}',
  check: () => undefined,
  async run({ io, json }) {
    // openRuntime has already migrated; this command exists so operators can do it explicitly.
    io.out(json ? '{"migrated": true}' : 'Database is migrated to the latest version.')
  },
})
