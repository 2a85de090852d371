"""scripts/lib.sh's wait_for_url."""

import pytest

from gongshi_load import wait
from gongshi_load.gateway import free_port

from .fake_server import FakeServer


def test_answers_at_once():
    with FakeServer() as s:
        assert wait.wait(f"http://127.0.0.1:{s.port}/json", 5)
        assert wait.main([f"http://127.0.0.1:{s.port}/json", "5"]) == 0


def test_an_error_status_is_not_ready_yet():
    with FakeServer() as s:
        assert not wait.wait(f"http://127.0.0.1:{s.port}/missing", 0.5, every=0.1)


def test_nothing_listening_gives_up_in_time(capsys):
    url = f"http://127.0.0.1:{free_port()}/"
    assert wait.main([url, "0.4"]) == 1
    assert capsys.readouterr().err == f"{url} did not answer\n"


def test_only_loopback():
    with pytest.raises(ValueError):
        wait.wait("http://192.168.1.1/", 1)
    assert wait.loopback("http://localhost:5055/") and wait.loopback("http://[::1]:80/")


def test_the_command_refuses_other_addresses(capsys):
    assert wait.main(["http://10.1.1.1/", "1"]) == 2
    assert "non-loopback" in capsys.readouterr().err
