import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { describeRole, effectiveRole, isRuleRole, roleRank } from './role-rules.ts'

const eng = { groupId: 'g1', groupName: 'Engineering', role: 'Editor' as const }
const all = { groupId: 'g2', groupName: 'All staff', role: 'Viewer' as const }
const ops = { groupId: 'g3', groupName: 'Ops', role: 'Admin' as const }

describe('roleRank', () => {
  it('orders Admin > Editor > Viewer > any other role', () => {
    assert.ok(roleRank('Admin') > roleRank('Editor'))
    assert.ok(roleRank('Editor') > roleRank('Viewer'))
    assert.ok(roleRank('Viewer') > roleRank('Auditor'))
  })

  it('accepts only the built-in roles for rules', () => {
    assert.equal(isRuleRole('Editor'), true)
    assert.equal(isRuleRole('editor'), false)
    assert.equal(isRuleRole('Auditor'), false)
  })
})

describe('effectiveRole', () => {
  it('keeps the default Viewer when no rule applies', () => {
    assert.deepEqual(effectiveRole('Viewer', []), { role: 'Viewer', source: { kind: 'default' } })
  })

  it('keeps a role an admin set when no rule applies', () => {
    assert.deepEqual(effectiveRole('Editor', []), { role: 'Editor', source: { kind: 'admin' } })
  })

  it('gives the highest rule of the direct groups', () => {
    const result = effectiveRole('Viewer', [all, eng])
    assert.deepEqual(result, {
      role: 'Editor',
      source: { kind: 'group', groupId: 'g1', groupName: 'Engineering' },
    })
    assert.equal(describeRole(result), 'Editor, via group Engineering')
    assert.equal(effectiveRole('Viewer', [eng, ops, all]).role, 'Admin')
  })

  it('never lowers a higher role an admin set: an Admin in a group mapped to Viewer stays Admin', () => {
    const result = effectiveRole('Admin', [all, eng])
    assert.deepEqual(result, { role: 'Admin', source: { kind: 'admin' } })
    assert.equal(describeRole(result), 'Admin, set by an admin')
  })

  it('leaves an equal role as set by an admin', () => {
    assert.deepEqual(effectiveRole('Editor', [eng]).source, { kind: 'admin' })
  })

  it('lifts a role the tenant added to the rule role', () => {
    assert.equal(effectiveRole('Auditor', [all]).role, 'Viewer')
    assert.deepEqual(effectiveRole('Auditor', []), { role: 'Auditor', source: { kind: 'admin' } })
  })

  it('names the group that sorts first when two give the same role', () => {
    const other = { groupId: 'g4', groupName: 'Design', role: 'Editor' as const }
    const result = effectiveRole('Viewer', [eng, other])
    assert.equal(describeRole(result), 'Editor, via group Design')
  })

  it('says when the role is the default', () => {
    assert.equal(describeRole(effectiveRole('Viewer', [])), 'Viewer, the default role')
  })
})
