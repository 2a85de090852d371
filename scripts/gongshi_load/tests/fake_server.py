"""A small HTTP/1.1 server on 127.0.0.1 for the client's tests: each path behaves one way."""

import http.server
import json
import threading
import time


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *_args):
        pass

    def answer(self, status, body, content_type="application/json", extra=None):
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        self.server.seen.append((self.command, self.path))
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        path = self.path.split("?")[0]
        if path == "/json":
            self.answer(200, {"ok": True})
        elif path == "/echo":
            self.answer(200, {"method": self.command, "path": self.path, "body": body.decode("utf-8", "replace"),
                              "headers": {k.lower(): v for k, v in self.headers.items()}})
        elif path == "/top":
            self.answer(409, {"code": "application_open", "title": "open"})
        elif path == "/field":
            self.answer(422, {"errors": [{"field": "id_number", "code": "id_number_checksum"}]})
        elif path == "/text":
            self.answer(200, b"plain words", content_type="text/plain")
        elif path == "/empty":
            self.answer(204, b"")
        elif path == "/close":
            self.answer(200, {"closing": True}, extra={"connection": "close"})
            self.close_connection = True
        elif path == "/drop":
            # Answers, then closes the connection without saying so (an idle keep-alive
            # connection closed by the server).
            self.answer(200, {"dropped": True})
            self.close_connection = True
        elif path == "/silent":
            self.close_connection = True  # closes without any answer
        elif path == "/slow":
            time.sleep(1.0)
            self.answer(200, {"slow": True})
        else:
            self.answer(404, {"code": "not_found"})

    do_GET = do_POST = do_PUT = handle_any


class FakeServer:
    def __init__(self):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.seen = []
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def seen(self):
        return self.httpd.seen

    def __enter__(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def __exit__(self, *_exc):
        if self.thread.is_alive():
            self.stop()
