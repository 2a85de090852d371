// A stand-in for XMLHttpRequest that records what was sent and lets a test drive
// upload progress and the response.
export class FakeXhr {
  static last: FakeXhr | null = null
  static status = 200
  method = ''
  url = ''
  headers: Record<string, string> = {}
  body: unknown = null
  status = 0
  responseText = ''
  upload: { onprogress: ((e: ProgressEvent) => void) | null } = { onprogress: null }
  onload: (() => void) | null = null
  onerror: (() => void) | null = null

  constructor() {
    FakeXhr.last = this
  }

  open(method: string, url: string): void {
    this.method = method
    this.url = url
  }

  setRequestHeader(name: string, value: string): void {
    this.headers[name] = value
  }

  send(body: unknown): void {
    this.body = body
    // Report progress, then answer, asynchronously like a real request.
    setTimeout(() => {
      this.upload.onprogress?.({ lengthComputable: true, loaded: 5, total: 10 } as ProgressEvent)
      this.status = FakeXhr.status
      this.responseText = FakeXhr.status >= 400 ? '{"code":"signature_expired","detail":"上传链接已过期"}' : ''
      setTimeout(() => this.onload?.(), 0)
    }, 0)
  }
}
