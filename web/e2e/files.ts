// Small but genuine files to upload: a PNG and a one-page PDF, written to a temp dir.
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { deflateRawSync, deflateSync, inflateRawSync } from 'node:zlib'

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(buf: Buffer): number {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

/** An RGB PNG with a blue header band on a light background, like a scanned document. */
export function pngBytes(width = 120, height = 80): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // truecolour
  const rows: Buffer[] = []
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3)
    for (let x = 0; x < width; x++) {
      const band = y < height / 4
      row[1 + x * 3] = band ? 31 : 240
      row[2 + x * 3] = band ? 78 : 240
      row[3 + x * 3] = band ? 140 : 235
    }
    rows.push(row)
  }
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** A minimal valid one-page PDF with a correct cross-reference table. */
export function pdfBytes(): Buffer {
  const stream = 'BT /F1 18 Tf 50 100 Td (Qualification certificate) Tj ET'
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]
  let out = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out))
    out += `${i + 1} 0 obj\n${body}\nendobj\n`
  })
  const xref = Buffer.byteLength(out)
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(out, 'latin1')
}

/** Writes both files to a fresh temp dir and returns their paths. */
export function writeUploadFiles(): { png: string; pdf: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gongshi-e2e-files-'))
  const png = path.join(dir, 'business-licence.png')
  const pdf = path.join(dir, 'qualification-scan.pdf')
  writeFileSync(png, pngBytes())
  writeFileSync(pdf, pdfBytes())
  return { png, pdf }
}

/**
 * The China date (YYYY-MM-DD) `days` from now: what the server calls today plus `days`.
 * Between 16:00 and 24:00 UTC China is already on the next day, so UTC dates are off by one.
 */
export function chinaDateIn(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
}

/**
 * GBK bytes of the few Chinese characters the specs write into a CSV, as Excel on Chinese
 * Windows saves it (no GBK encoder in Node without a dependency). Computed once with
 * `python3 -c "print(list('龚'.encode('gbk')))"`; 喆 and 镕 are outside GB2312.
 */
const GBK: Record<string, [number, number]> = {
  龚: [0xb9, 0xa8], 喆: [0x86, 0xb4], 冼: [0xd9, 0xfe], 镕: [0xe9, 0x46], 司: [0xcb, 0xbe], 徒: [0xcd, 0xbd], 静: [0xbe, 0xb2],
  电: [0xb5, 0xe7], 梯: [0xcc, 0xdd], 起: [0xc6, 0xf0], 重: [0xd6, 0xd8], 机: [0xbb, 0xfa], 械: [0xd0, 0xb5], 检: [0xbc, 0xec],
  验: [0xd1, 0xe9], 员: [0xd4, 0xb1], 师: [0xca, 0xa6], 国: [0xb9, 0xfa], 家: [0xbc, 0xd2], 市: [0xca, 0xd0], 场: [0xb3, 0xa1],
  监: [0xbc, 0xe0], 督: [0xb6, 0xbd], 管: [0xb9, 0xdc], 理: [0xc0, 0xed], 总: [0xd7, 0xdc], 局: [0xbe, 0xd6], 有: [0xd3, 0xd0],
  效: [0xd0, 0xa7], 厦: [0xcf, 0xc3], 门: [0xc3, 0xc5], 思: [0xcb, 0xbc], 明: [0xc3, 0xf7], 区: [0xc7, 0xf8], 湖: [0xba, 0xfe],
  滨: [0xb1, 0xf5], 南: [0xc4, 0xcf], 路: [0xc2, 0xb7], 号: [0xba, 0xc5], 测: [0xb2, 0xe2], 限: [0xcf, 0xde], 公: [0xb9, 0xab],
}

/** `text` in GBK: ASCII as it is, the characters of the table above as GBK; any other fails. */
export function gbkBytes(text: string): Buffer {
  const bytes: number[] = []
  for (const c of text) {
    if (c.charCodeAt(0) < 0x80) bytes.push(c.charCodeAt(0))
    else if (GBK[c]) bytes.push(...GBK[c])
    else throw new Error(`gbkBytes: no GBK bytes for ${c}; add them from python3 -c "print(list('${c}'.encode('gbk')))"`)
  }
  const out = Buffer.from(bytes)
  // Node decodes GBK (ICU): the table is checked against it.
  if (new TextDecoder('gbk').decode(out) !== text) throw new Error(`gbkBytes: the table is wrong for ${text}`)
  return out
}

/** The entries of a zip archive (an .xlsx), by name, inflated. */
export function unzip(zip: Buffer): Map<string, Buffer> {
  let end = zip.length - 22
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--
  if (end < 0) throw new Error('unzip: not a zip archive')
  const count = zip.readUInt16LE(end + 10)
  let at = zip.readUInt32LE(end + 16)
  const entries = new Map<string, Buffer>()
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('unzip: bad central directory')
    const method = zip.readUInt16LE(at + 10)
    const size = zip.readUInt32LE(at + 20)
    const nameLength = zip.readUInt16LE(at + 28)
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32)
    const local = zip.readUInt32LE(at + 42)
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8')
    const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
    const raw = zip.subarray(data, data + size)
    entries.set(name, method === 8 ? inflateRawSync(raw) : Buffer.from(raw))
    at += 46 + skip
  }
  return entries
}

const xmlText = (xml: string) =>
  xml
    .replace(/<[^>]+>/g, '')
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')

/** The workbook's sheet names, in order. */
export function xlsxSheets(xlsx: Buffer): string[] {
  const workbook = unzip(xlsx).get('xl/workbook.xml')?.toString('utf8') ?? ''
  return [...workbook.matchAll(/<sheet\b[^>]*\bname="([^"]*)"/g)].map((m) => xmlText(m[1]))
}

/**
 * The rows of a workbook's sheet (the first unless `sheet` says, from 1) as text, the empty
 * ones left out: enough to read what the server wrote without a spreadsheet library.
 */
export function xlsxRows(xlsx: Buffer, sheet = 1): string[][] {
  const files = unzip(xlsx)
  const shared = [...(files.get('xl/sharedStrings.xml')?.toString('utf8') ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
    [...m[1].matchAll(/<t\b[^>]*>([\s\S]*?)<\/t>/g)].map((t) => xmlText(t[1])).join(''),
  )
  const xml = files.get(`xl/worksheets/sheet${sheet}.xml`)?.toString('utf8')
  if (xml === undefined) throw new Error(`xlsxRows: no sheet ${sheet}`)
  const column = (ref: string) => [...ref.replace(/\d+$/, '')].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1
  const rows: string[][] = []
  for (const row of xml.matchAll(/<row\b[^>]*>([\s\S]*?)<\/row>/g)) {
    const cells: string[] = []
    for (const cell of row[1].matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = cell[1]
      const body = cell[2] ?? ''
      const ref = /\br="([A-Z]+\d+)"/.exec(attrs)?.[1]
      const type = /\bt="([^"]+)"/.exec(attrs)?.[1]
      const value = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1]
      const text =
        type === 's' ? shared[Number(value)] ?? '' : type === 'inlineStr' ? xmlText(body) : value !== undefined ? xmlText(value) : ''
      const at = ref ? column(ref) : cells.length
      while (cells.length < at) cells.push('')
      cells[at] = text
    }
    if (cells.some((c) => c !== '')) rows.push(cells)
  }
  return rows
}

/** A zip archive of `entries` (deflated, names in UTF-8), as a spreadsheet program saves one. */
export function zip(entries: Map<string, Buffer>): Buffer {
  const locals: Buffer[] = []
  const central: Buffer[] = []
  let offset = 0
  for (const [name, data] of entries) {
    const nameBytes = Buffer.from(name, 'utf8')
    const packed = deflateRawSync(data)
    const crc = crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(0x0800, 6)
    local.writeUInt16LE(8, 8)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(packed.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(nameBytes.length, 26)
    const entry = Buffer.alloc(46)
    entry.writeUInt32LE(0x02014b50, 0)
    entry.writeUInt16LE(20, 4)
    entry.writeUInt16LE(20, 6)
    entry.writeUInt16LE(0x0800, 8)
    entry.writeUInt16LE(8, 10)
    entry.writeUInt32LE(crc, 16)
    entry.writeUInt32LE(packed.length, 20)
    entry.writeUInt32LE(data.length, 24)
    entry.writeUInt16LE(nameBytes.length, 28)
    entry.writeUInt32LE(offset, 42)
    locals.push(local, nameBytes, packed)
    central.push(entry, nameBytes)
    offset += local.length + nameBytes.length + packed.length
  }
  const directory = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.size, 8)
  end.writeUInt16LE(entries.size, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const columnName = (index: number): string => (index < 26 ? '' : columnName(Math.floor(index / 26) - 1)) + String.fromCharCode(65 + (index % 26))

/**
 * The workbook `xlsx` with its sheet's rows from row `from` on replaced by `rows`, typed in as
 * text the way a clerk fills a template: every other part (header, column formats, drop-downs,
 * other sheets) kept as the server wrote it, each new cell keeping the style of the cell in its
 * column of the row it replaces (the template's text-formatted ID column stays text).
 */
export function xlsxFill(xlsx: Buffer, rows: string[][], { sheet = 1, from = 2 } = {}): Buffer {
  const files = unzip(xlsx)
  const name = `xl/worksheets/sheet${sheet}.xml`
  const xml = files.get(name)?.toString('utf8')
  if (xml === undefined) throw new Error(`xlsxFill: no sheet ${sheet}`)
  const styles = new Map<string, string>()
  const kept: string[] = []
  for (const row of xml.matchAll(/<row\b[^>]*?\br="(\d+)"[^>]*?(?:\/>|>[\s\S]*?<\/row>)/g)) {
    if (Number(row[1]) < from) {
      kept.push(row[0])
      continue
    }
    if (Number(row[1]) !== from) continue
    for (const cell of row[0].matchAll(/<c\b[^>]*?\br="([A-Z]+)\d+"[^>]*?\bs="(\d+)"/g)) styles.set(cell[1], cell[2])
  }
  const written = rows.map((cells, i) => {
    const r = from + i
    const body = cells
      .map((text, c) => {
        const col = columnName(c)
        const style = styles.has(col) ? ` s="${styles.get(col)}"` : ''
        return text === '' ? '' : `<c r="${col}${r}"${style} t="inlineStr"><is><t>${xmlEscape(text)}</t></is></c>`
      })
      .join('')
    return `<row r="${r}">${body}</row>`
  })
  const width = Math.max(1, ...rows.map((r) => r.length))
  const filled = xml
    .replace(/<sheetData\b[^>]*?(?:\/>|>[\s\S]*?<\/sheetData>)/, `<sheetData>${kept.join('')}${written.join('')}</sheetData>`)
    .replace(/<dimension ref="[^"]*"\/>/, `<dimension ref="A1:${columnName(width - 1)}${from + rows.length - 1}"/>`)
  files.set(name, Buffer.from(filled, 'utf8'))
  return zip(files)
}
