import { describe, expect, it } from 'vitest'
import { LEGACY_COLUMNS, legacyTemplate } from './legacyImport'

describe('legacy import', () => {
  it('offers a template whose header is the documented columns', () => {
    const [header, example] = legacyTemplate().replace('\uFEFF', '').split('\r\n')
    expect(header.split(',')).toEqual([...LEGACY_COLUMNS])
    expect(example.split(',')).toHaveLength(LEGACY_COLUMNS.length)
  })

  it('f02_marks_its_example_row_so_the_import_refuses_it', () => {
    const example = legacyTemplate().replace('\uFEFF', '').split('\r\n')[1].split(',')
    expect(example[LEGACY_COLUMNS.indexOf('unit_name')]).toContain('示例')
  })

})
