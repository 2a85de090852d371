import { describe, expect, it } from 'vitest'
import { isJsonFile, isWorkbook, readImportFile } from './importFile'

// 欧阳娜,张伟 in GBK: what Excel on Chinese Windows saves; not valid UTF-8.
const GBK = new Uint8Array([0xc5, 0xb7, 0xd1, 0xf4, 0xc4, 0xc8, 0x2c, 0xd5, 0xc5, 0xce, 0xb0, 0x0a])

describe('import files (#18)', () => {
  it('tells workbooks and JSON files by their names', () => {
    expect(isWorkbook('人员库.XLSX')).toBe(true)
    expect(isWorkbook('old.xls')).toBe(true)
    expect(isWorkbook('registry.csv')).toBe(false)
    expect(isJsonFile({ name: 'people.JSON' })).toBe(true)
    expect(isJsonFile({ name: 'people', type: 'application/json' })).toBe(true)
    expect(isJsonFile({ name: 'people.csv', type: 'text/csv' })).toBe(false)
  })

  it('keeps the bytes as they are on disk and sends them as bytes', async () => {
    const sent = await readImportFile(new File([GBK], '人员库.csv', { type: 'text/csv' }), '人员库')
    expect(sent.contentType).toBe('application/octet-stream')
    expect(new Uint8Array(sent.bytes)).toEqual(GBK)
    // A sheet is named for a workbook only.
    expect(sent.sheet).toBeUndefined()
  })

  it('names the sheet of a workbook, and sends a JSON file as JSON', async () => {
    const book = await readImportFile(new File([new Uint8Array([0x50, 0x4b, 3, 4])], 'registry.xlsx'), ' 人员库 ')
    expect(book).toMatchObject({ contentType: 'application/octet-stream', sheet: '人员库' })
    expect((await readImportFile(new File([new Uint8Array([0x50, 0x4b])], 'registry.xlsx'), '  ')).sheet).toBeUndefined()
    const json = await readImportFile(new File(['[]'], 'people.json'))
    expect(json.contentType).toBe('application/json')
  })
})
