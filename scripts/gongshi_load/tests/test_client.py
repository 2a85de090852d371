"""The client's answers and its errors: no answer is ConnError (with whether the server may
have seen the request), a keep-alive connection the server closed is resent once."""

import time

import pytest

from gongshi_load.client import Client, ConnError, Reply, Unexpected, expect, q
from gongshi_load.gateway import free_port

from .fake_server import FakeServer


@pytest.fixture
def server():
    with FakeServer() as s:
        yield s


def test_json_answer_headers_and_timing(server):
    c = Client(server.port)
    r = c.call("GET", "/json")
    assert (r.status, r.body, r.code()) == (200, {"ok": True}, None)
    assert r.headers["content-type"] == "application/json" and r.seconds >= 0
    c.close()


def test_body_token_and_headers_are_sent(server):
    c = Client(server.port)
    r = c.call("POST", "/echo", "tok", {"name": "王伟"}, headers={"Idempotency-Key": "k1"})
    assert r.body["method"] == "POST" and r.body["body"] == '{"name": "王伟"}'
    headers = r.body["headers"]
    assert headers["authorization"] == "Bearer tok" and headers["idempotency-key"] == "k1"
    assert headers["content-type"] == "application/json" and headers["accept"] == "application/json"
    raw = c.call("PUT", "/echo", raw=b"\x89PNG", content_type="image/png")
    assert raw.body["headers"]["content-type"] == "image/png" and "authorization" not in raw.body["headers"]
    c.close()


def test_problem_codes_top_level_and_of_the_first_field_error(server):
    c = Client(server.port)
    assert c.call("POST", "/top").code() == "application_open"
    assert c.call("POST", "/field").code() == "id_number_checksum"
    c.close()


def test_non_json_and_empty_bodies(server):
    c = Client(server.port)
    text = c.call("GET", "/text")
    assert (text.status, text.body, text.text) == (200, None, "plain words")
    empty = c.call("GET", "/empty")
    assert (empty.status, empty.body, empty.text) == (204, None, "")
    c.close()


def test_connection_close_is_honoured(server):
    c = Client(server.port)
    assert c.call("GET", "/close").status == 200
    assert c.conn is None
    assert c.call("GET", "/json").status == 200
    assert c.stale_retries == 0
    c.close()


def test_a_stale_keep_alive_connection_is_resent_once(server):
    c = Client(server.port)
    assert c.call("GET", "/drop").status == 200
    time.sleep(0.2)  # the server has closed it by now
    r = c.call("GET", "/json")
    assert r.status == 200 and c.stale_retries == 1
    assert server.seen.count(("GET", "/json")) == 1
    c.close()


def test_without_retry_a_stale_connection_is_no_answer(server):
    c = Client(server.port, retry_stale=False)
    assert c.call("GET", "/drop").status == 200
    time.sleep(0.2)
    with pytest.raises(ConnError) as error:
        c.call("GET", "/json")
    assert error.value.sent is True and c.stale_retries == 0
    c.close()


def test_closed_without_an_answer_may_have_been_seen(server):
    c = Client(server.port)
    with pytest.raises(ConnError) as error:
        c.call("POST", "/silent")
    assert error.value.sent is True
    assert c.conn is None
    c.close()


def test_timeout_is_no_answer_that_may_have_been_seen(server):
    c = Client(server.port, timeout=0.3)
    with pytest.raises(ConnError) as error:
        c.call("GET", "/slow")
    assert error.value.sent is True
    c.close()


def test_refused_connection_was_not_seen():
    c = Client(free_port(), timeout=2)
    with pytest.raises(ConnError) as error:
        c.call("POST", "/api/v1/unit/applications", body={})
    assert error.value.sent is False
    assert "ConnectionRefusedError" in str(error.value)


def test_a_resend_to_a_server_gone_may_still_have_been_seen():
    with FakeServer() as s:
        c = Client(s.port)
        assert c.call("GET", "/drop").status == 200
        s.stop()
    time.sleep(0.2)
    with pytest.raises(ConnError) as error:
        c.call("POST", "/json")
    assert error.value.sent is True  # the first attempt may have reached it
    c.close()


def test_expect_and_query_strings():
    ok = Reply(201, {"id": "a"}, {}, '{"id":"a"}', 0.01)
    assert expect(ok, 200, 201, what="create") is ok
    with pytest.raises(Unexpected, match=r"create: expected \(200,\), got HTTP 201"):
        expect(ok, 200, what="create")
    assert q(id_number="35020319600101000X", name="王伟") == "id_number=35020319600101000X&name=%E7%8E%8B%E4%BC%9F"


def test_the_client_only_talks_to_loopback():
    c = Client(8080)
    conn = c._connect()
    assert conn.host == "127.0.0.1"
