"""A small HTTP client for the gateway on 127.0.0.1: one keep-alive connection per thread,
answers as `Reply`, no answer at all as `ConnError` (with whether the server may have seen
the request), and `expect()` for the set-ups."""

import http.client
import json
import time
import urllib.parse

HOST = "127.0.0.1"  # the only address these tools ever send to


def log(*parts):
    print(*parts, flush=True)


class ConnError(Exception):
    """No HTTP answer: refused, reset, timed out. `sent` is False when the connection was
    refused, so the server cannot have seen the request."""

    def __init__(self, message, sent=True):
        super().__init__(message)
        self.sent = sent


class Unexpected(Exception):
    """An answer other than the one a set-up step needs."""


class Reply:
    def __init__(self, status, body, headers, text, seconds):
        self.status, self.body, self.headers, self.text, self.seconds = status, body, headers, text, seconds

    def code(self):
        """The problem's `code` (top level, or of the first field error)."""
        if isinstance(self.body, dict):
            if self.body.get("code"):
                return self.body["code"]
            errors = self.body.get("errors") or []
            if errors and isinstance(errors[0], dict):
                return errors[0].get("code")
        return None

    def __repr__(self):
        return f"HTTP {self.status}: {self.text[:300]}"


class Client:
    """One keep-alive connection (one per thread). `retry_stale`: resend once when a reused
    connection turns out closed (off where a crashed server must not be mistaken for that)."""

    def __init__(self, port, timeout=30, retry_stale=True):
        self.port, self.timeout, self.retry_stale = port, timeout, retry_stale
        self.conn = None
        self.stale_retries = 0

    def _connect(self):
        return http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)

    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None

    def call(self, method, path, token=None, body=None, headers=None, raw=None, content_type=None):
        hdrs = {"accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            hdrs["content-type"] = "application/json"
        elif raw is not None:
            data = raw
            hdrs["content-type"] = content_type or "application/octet-stream"
        if token:
            hdrs["authorization"] = f"Bearer {token}"
        hdrs.update(headers or {})
        maybe_sent = False  # an earlier attempt may have reached the server
        for attempt in (1, 2):
            reused = self.conn is not None
            if self.conn is None:
                self.conn = self._connect()
            started = time.monotonic()
            try:
                self.conn.request(method, path, body=data, headers=hdrs)
                response = self.conn.getresponse()
                payload = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
                self.close()
                # A keep-alive connection the server closed while idle: the request never reached
                # a handler, so sending it once more on a new connection is safe.
                if (self.retry_stale and reused and attempt == 1
                        and isinstance(error, (http.client.RemoteDisconnected, BrokenPipeError))):
                    self.stale_retries += 1
                    maybe_sent = True
                    continue
                raise ConnError(f"{type(error).__name__}: {error}") from None
            except (OSError, http.client.HTTPException) as error:
                self.close()
                raise ConnError(f"{type(error).__name__}: {error}",
                                sent=maybe_sent or not isinstance(error, ConnectionRefusedError)) from None
            seconds = time.monotonic() - started
            text = payload.decode("utf-8", "replace")
            try:
                parsed = json.loads(text) if text else None
            except ValueError:
                parsed = None
            if response.getheader("connection", "").lower() == "close":
                self.close()
            return Reply(response.status, parsed, {k.lower(): v for k, v in response.getheaders()}, text, seconds)
        raise ConnError("unreachable")


def q(**params):
    """A query string."""
    return urllib.parse.urlencode(params)


def expect(reply, *statuses, what=""):
    """The reply if its status is one of `statuses`; otherwise Unexpected."""
    if reply.status not in statuses:
        raise Unexpected(f"{what}: expected {statuses}, got {reply!r}")
    return reply
