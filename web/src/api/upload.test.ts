import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { appealUploads, uploadFile, precheck, contentTypeOf } from './upload'
import { ApiError } from './problem'
import FileUploader from '@/components/FileUploader.vue'
import { FakeXhr } from '@/test/fakeXhr'
import { testI18n } from '@/test/i18n'

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } })

const slot = {
  upload_id: 'up_1',
  url: 'http://127.0.0.1:8080/_blobs/up_1?sig=abc',
  method: 'PUT',
  headers: { 'Content-Type': 'image/png', 'x-amz-meta-purpose': 'business_licence', 'Content-Length': '8' },
  expires_at: '2030-01-01T00:00:00Z',
  max_bytes: 10485760,
}
const verified = {
  upload_id: 'up_1',
  purpose: 'business_licence',
  file_name: 'licence.png',
  content_type: 'image/png',
  size: 8,
  state: 'verified',
}
const png = () => new File([new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10])], 'licence.png', { type: 'image/png' })

let fetchMock: ReturnType<typeof vi.fn>

beforeEach(() => {
  FakeXhr.last = null
  FakeXhr.status = 200
  vi.stubGlobal('XMLHttpRequest', FakeXhr)
  fetchMock = vi.fn(async (req: Request) => {
    const path = new URL(req.url).pathname
    if (req.method === 'POST' && path === '/api/v1/uploads') return json(201, slot)
    if (req.method === 'POST' && path === '/api/v1/uploads/up_1/complete') return json(200, verified)
    return json(404, { code: 'not_found' }, 'application/problem+json')
  })
  vi.stubGlobal('fetch', fetchMock)
})

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('uploadFile', () => {
  it('requests a slot, PUTs the bytes with exactly its headers, then completes', async () => {
    const progress: number[] = []
    const ref = await uploadFile(png(), 'business_licence', (p) => progress.push(p))

    const first = fetchMock.mock.calls[0][0] as Request
    expect(await first.json()).toEqual({
      purpose: 'business_licence',
      file_name: 'licence.png',
      content_type: 'image/png',
      size: 8,
    })
    const xhr = FakeXhr.last!
    expect(xhr.method).toBe('PUT')
    expect(xhr.url).toBe(slot.url)
    // Content-Length is set by the browser itself and may not be set by script.
    expect(xhr.headers).toEqual({ 'Content-Type': 'image/png', 'x-amz-meta-purpose': 'business_licence' })
    expect(xhr.body).toBeInstanceOf(File)
    expect(progress).toEqual([0, 50, 100])
    expect(new URL((fetchMock.mock.calls[1][0] as Request).url).pathname).toBe('/api/v1/uploads/up_1/complete')
    expect(ref).toEqual({ upload_id: 'up_1', file_name: 'licence.png', content_type: 'image/png', size: 8 })
  })

  it('fails with the problem when the bytes are not a real image', async () => {
    fetchMock.mockImplementation(async (req: Request) =>
      new URL(req.url).pathname === '/api/v1/uploads'
        ? json(201, slot)
        : json(
            422,
            { status: 422, code: 'content_mismatch', detail: '文件内容与类型不符', errors: [] },
            'application/problem+json',
          ),
    )
    const err = await uploadFile(png(), 'business_licence').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).code).toBe('content_mismatch')
  })
})

describe('appealUploads', () => {
  it('uses the appeal endpoints with its token instead of the session', async () => {
    fetchMock.mockImplementation(async (req: Request) => {
      const path = new URL(req.url).pathname
      if (req.method === 'POST' && path === '/api/v1/appeals/ap_1/uploads') return json(201, slot)
      if (req.method === 'POST' && path === '/api/v1/appeals/ap_1/uploads/up_1/complete') return json(200, verified)
      return json(404, { code: 'not_found' }, 'application/problem+json')
    })
    const ref = await uploadFile(png(), 'business_licence', () => {}, appealUploads('ap_1', 'tok'))
    expect(ref.upload_id).toBe('up_1')
    for (const [req] of fetchMock.mock.calls as [Request][]) {
      expect(req.headers.get('X-Appeal-Token')).toBe('tok')
      expect(req.headers.get('Authorization')).toBeNull()
    }
  })
})

describe('precheck', () => {
  it('refuses other types and files over 10 MiB', () => {
    expect(precheck(new File(['x'], 'a.docx', { type: 'application/msword' }))).toBe('upload.errors.type')
    const big = new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'big.pdf', { type: 'application/pdf' })
    expect(precheck(big)).toBe('upload.errors.tooLarge')
    expect(precheck(png())).toBeNull()
  })

  it('falls back to the extension when the browser gives no type', () => {
    expect(contentTypeOf(new File(['x'], 'SCAN.JPG', { type: '' }))).toBe('image/jpeg')
  })
})

describe('FileUploader', () => {
  const mountUploader = () =>
    mount(FileUploader, {
      props: { purpose: 'business_licence', modelValue: null, testid: 'licence-upload' },
      global: { plugins: [testI18n()] },
    })

  async function choose(wrapper: ReturnType<typeof mountUploader>, file: File): Promise<void> {
    const input = wrapper.get('[data-testid="licence-upload-input"]')
    Object.defineProperty(input.element, 'files', { value: [file], configurable: true })
    await input.trigger('change')
  }

  it('shows progress while uploading, then emits the verified upload', async () => {
    const wrapper = mountUploader()
    await choose(wrapper, png())
    await flushPromises()
    expect(wrapper.text()).toContain('licence.png')
    expect(wrapper.find('.el-progress').exists()).toBe(true)
    // The fake XHR answers on a timer: wait for the outcome rather than a fixed delay.
    await vi.waitFor(async () => {
      await flushPromises()
      expect(wrapper.emitted('update:modelValue')).toBeDefined()
    })
    expect(wrapper.emitted('update:modelValue')?.[0]).toEqual([
      { upload_id: 'up_1', file_name: 'licence.png', content_type: 'image/png', size: 8 },
    ])
  })

  it('previews the chosen image with its name as alt text', async () => {
    URL.createObjectURL = vi.fn(() => 'blob:local/1')
    URL.revokeObjectURL = vi.fn()
    const wrapper = mountUploader()
    await choose(wrapper, png())
    await flushPromises()
    const preview = wrapper.get('[data-testid="upload-preview"]')
    expect(preview.attributes('src')).toBe('blob:local/1')
    expect(preview.attributes('alt')).toBe('licence.png')
    wrapper.unmount()
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:local/1')
  })

  it('shows the error when the upload PUT is refused', async () => {
    FakeXhr.status = 403
    const wrapper = mountUploader()
    await choose(wrapper, png())
    await vi.waitFor(async () => {
      await flushPromises()
      expect(wrapper.find('[data-testid="upload-error"]').exists()).toBe(true)
    })
    expect(wrapper.get('[data-testid="upload-error"]').text()).toContain('上传链接已过期')
    expect(wrapper.emitted('update:modelValue')).toBeUndefined()
  })

  it('refuses a file of another type without calling the API', async () => {
    const wrapper = mountUploader()
    await choose(wrapper, new File(['x'], 'notes.txt', { type: 'text/plain' }))
    await flushPromises()
    expect(wrapper.get('[data-testid="upload-error"]').text()).toContain('仅支持 JPG、PNG 或 PDF 文件')
    expect(fetchMock).not.toHaveBeenCalled()
  })
})
