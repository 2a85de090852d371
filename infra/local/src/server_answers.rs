//! The security headers on the answers the HTTP server writes itself.
//!
//! hyper answers a request it cannot parse (400), a request line longer than its buffer (414)
//! and headers larger than its buffer (431) before any service runs, so those answers never
//! pass the gateway's header layer. [`Listener`] wraps each accepted connection in a writer
//! that adds the same headers to them: an answer head hyper writes without
//! `x-content-type-options` (every answer of the router has it) gets the header lines right
//! after its status line. Deployed, API Gateway answers these itself.

use axum::http::HeaderValue;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// A TCP listener whose connections add the security headers to the server's own answers.
pub struct Listener {
    inner: TcpListener,
    headers: Vec<u8>,
}

impl Listener {
    /// Wraps `inner`; `csp` is the Content-Security-Policy the router sends.
    pub fn new(inner: TcpListener, csp: &HeaderValue) -> Self {
        let mut headers = Vec::new();
        for (name, value) in crate::gateway::security_header_values(csp.clone()) {
            headers.extend_from_slice(name.as_bytes());
            headers.extend_from_slice(b": ");
            headers.extend_from_slice(value.as_bytes());
            headers.extend_from_slice(b"\r\n");
        }
        Self { inner, headers }
    }
}

impl axum::serve::Listener for Listener {
    type Io = Connection;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (stream, address) = axum::serve::Listener::accept(&mut self.inner).await;
        let connection = Connection {
            stream,
            headers: self.headers.clone(),
            pending: Vec::new(),
            sent: 0,
        };
        (connection, address)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

/// One accepted connection (see the module's documentation).
pub struct Connection {
    stream: TcpStream,
    headers: Vec<u8>,
    /// A rewritten answer head not yet written in full, and how much of it was.
    pending: Vec<u8>,
    sent: usize,
}

impl Connection {
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.sent < self.pending.len() {
            let written = ready!(Pin::new(&mut self.stream).poll_write(cx, &self.pending[self.sent..]))?;
            if written == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.sent += written;
        }
        self.pending.clear();
        self.sent = 0;
        Poll::Ready(Ok(()))
    }

    /// Takes `buf` as written: the headers go in now, the bytes out on the next drain.
    fn take_rewritten(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Option<Poll<io::Result<usize>>> {
        let rewritten = with_headers(buf, &self.headers)?;
        self.pending = rewritten;
        self.sent = 0;
        Some(match self.drain(cx) {
            Poll::Ready(Err(error)) => Poll::Ready(Err(error)),
            _ => Poll::Ready(Ok(buf.len())),
        })
    }
}

/// `buf` with `headers` after its status line, when `buf` starts with an answer head the
/// server wrote itself (an error status, no `x-content-type-options`).
fn with_headers(buf: &[u8], headers: &[u8]) -> Option<Vec<u8>> {
    let status = buf.strip_prefix(b"HTTP/1.1 ").or_else(|| buf.strip_prefix(b"HTTP/1.0 "))?;
    if !matches!(status.first(), Some(b'4' | b'5')) {
        return None;
    }
    let head_end = find(buf, b"\r\n\r\n")?;
    let head = buf[..head_end].to_ascii_lowercase();
    if find(&head, b"\r\nx-content-type-options:").is_some() {
        return None;
    }
    let line_end = find(buf, b"\r\n")? + 2;
    let mut rewritten = Vec::with_capacity(buf.len() + headers.len());
    rewritten.extend_from_slice(&buf[..line_end]);
    rewritten.extend_from_slice(headers);
    rewritten.extend_from_slice(&buf[line_end..]);
    Some(rewritten)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

impl AsyncRead for Connection {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Connection {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        ready!(self.drain(cx))?;
        if let Some(answer) = self.take_rewritten(cx, buf) {
            return answer;
        }
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(mut self: Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[io::IoSlice<'_>]) -> Poll<io::Result<usize>> {
        ready!(self.drain(cx))?;
        if let Some(first) = bufs.iter().find(|buf| !buf.is_empty())
            && let Some(answer) = self.take_rewritten(cx, first)
        {
            return answer;
        }
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::with_headers;

    #[test]
    fn only_the_servers_own_error_heads_get_the_headers() {
        let own = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(
            with_headers(own, b"x-content-type-options: nosniff\r\n").as_deref(),
            Some(&b"HTTP/1.1 431 Request Header Fields Too Large\r\nx-content-type-options: nosniff\r\ncontent-length: 0\r\n\r\n"[..])
        );
        let routed = b"HTTP/1.1 404 Not Found\r\nx-content-type-options: nosniff\r\n\r\n";
        assert_eq!(with_headers(routed, b"x: y\r\n"), None);
        assert_eq!(with_headers(b"HTTP/1.1 200 OK\r\n\r\n", b"x: y\r\n"), None);
        assert_eq!(with_headers(b"%PDF-1.7 HTTP/1.1 400\r\n\r\n", b"x: y\r\n"), None);
    }
}
