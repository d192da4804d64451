#!/usr/bin/env node
// `npx rollcall …`: the operator CLI. Loads the TypeScript sources through tsx.
import { register } from 'tsx/esm/api'

register()
await import('../src/cli/main.ts')
