// Writes a Brotli (.br) and a gzip (.gz) copy beside each text file of the built SPA, which
// the local gateway serves to a browser that accepts them (CloudFront compresses by itself:
// docs/OPERATIONS.md leaves these copies out of the upload). Run after `vite build`.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

// The directory: the first argument, or web/dist.
const dist = process.argv[2] ?? new URL('../dist/', import.meta.url).pathname
const compressible = /\.(js|mjs|css|html|svg|json|txt|map)$/
// Smaller files gain nothing worth a second request path.
const smallest = 1024

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) yield* files(path)
    else yield path
  }
}

let written = 0
let before = 0
let after = 0
for (const path of files(dist)) {
  if (!compressible.test(path)) continue
  const bytes = readFileSync(path)
  if (bytes.length < smallest) continue
  const br = brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  })
  writeFileSync(`${path}.br`, br)
  writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }))
  written += 1
  before += bytes.length
  after += br.length
}
console.log(`precompressed ${written} files: ${(before / 1024).toFixed(0)} KiB → ${(after / 1024).toFixed(0)} KiB (br)`)
