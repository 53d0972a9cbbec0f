"""hpedu serve's door over HTTP, without a browser: too many wrong join codes lock an
address out, and pages of other sites (their Origin header) start nothing. The server is
the real `hpedu serve` subprocess (conftest.py); the rules alone: tests/unit/test_serve_guard.py."""

from __future__ import annotations

import http.client
import re

import aiohttp
import pytest

RIGHT = "right-code-42"


def get(served, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    """One GET to the server, redirects not followed: (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8")
    finally:
        connection.close()


def ticket_of(page: str) -> str:
    found = re.search(r'data-session-websocket-url="wss?://[^/"]+/ws/([^"?]+)"', page)
    assert found, "no session address in the page:\n" + page
    return found.group(1)


def test_ten_wrong_join_codes_lock_the_address_even_for_the_right_code(serve):
    served = serve("--join-code", RIGHT)
    for i in range(9):
        status, _, body = get(served, f"/?name=ada&code=wrong-{i}")
        assert status == 403 and "That join code is not this class" in body
    status, headers, _ = get(served, f"/?name=ada&code={RIGHT}")  # nine mistakes, then the right code: in
    assert status == 303
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    for i in range(9):  # the right code forgot the nine: nine more are not yet a lock
        assert get(served, f"/?code=wrong-{i}")[0] == 403
    status, headers, body = get(served, "/?code=wrong-9")
    assert status == 429 and "Too many wrong join codes" in body
    assert "10 wrong join codes came from this computer within 60 seconds" in body
    assert 1 <= int(headers["Retry-After"]) <= 60
    status, headers, body = get(served, f"/?name=ada&code={RIGHT}")  # locked: the right code is refused too
    assert status == 429 and "even with the right code" in body
    assert "Set-Cookie" not in headers and "data-session-websocket-url" not in body
    assert get(served, "/?name=ada")[0] == 429  # the join form too
    assert served.children() == []
    assert served.wait_output("10 wrong join codes from 127.0.0.1: refused for 60 s"), served.output
    status, _, body = get(served, "/?name=ada", {"Cookie": cookie})  # a browser that joined before is not locked out
    assert status == 200 and ticket_of(body)
    assert served.children() == []  # a page, no app until its websocket opens


async def test_a_page_of_another_site_starts_nothing(serve):
    served = serve()
    own = f"http://127.0.0.1:{served.port}"
    status, _, body = get(served, "/?name=ada", {"Origin": "http://evil.example"})
    assert status == 403 and "http://evil.example" in body and "data-session-websocket-url" not in body
    status, _, body = get(served, "/?name=ada", {"Origin": f"http://localhost:{served.port}"})
    assert status == 403  # localhost is another origin than 127.0.0.1 for a browser
    status, _, body = get(served, "/?name=ada", {"Origin": own})
    assert status == 200
    ticket = ticket_of(body)
    url = f"{own}/ws/{ticket}"
    async with aiohttp.ClientSession() as client:
        for origin in ("http://evil.example", f"http://127.0.0.1:{served.port + 1}", "null"):
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await client.ws_connect(url, origin=origin)
            assert refused.value.status == 403
        assert served.children() == []
        async with client.ws_connect(url, origin=own) as websocket:  # the same ticket, from the server's own page
            served.wait_children(1)
            await websocket.close()
    served.wait_children(0)
    assert served.wait_output("refused a websocket from a page of 'http://evil.example'"), served.output


async def test_a_server_for_this_machine_only_answers_only_to_its_names(serve):
    """A site whose name was pointed at 127.0.0.1 (DNS rebinding) sends an Origin that matches its Host."""
    served = serve()
    rebound = f"evil.example:{served.port}"
    status, _, body = get(served, "/?name=ada", {"Host": rebound, "Origin": f"http://{rebound}"})
    assert status == 403 and "This server is for this machine only" in body
    assert "data-session-websocket-url" not in body
    assert get(served, "/?name=ada", {"Host": rebound})[0] == 403
    for name in (f"localhost:{served.port}", f"127.0.0.1:{served.port}"):
        assert get(served, "/?name=ada", {"Host": name, "Origin": f"http://{name}"})[0] == 200
    status, _, body = get(served, "/?name=ada")
    url = f"http://127.0.0.1:{served.port}/ws/{ticket_of(body)}"
    async with aiohttp.ClientSession() as client:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(url, origin=f"http://{rebound}", headers={"Host": rebound})
        assert refused.value.status == 403
    assert served.children() == []
    assert served.wait_output(f"refused a websocket for host '{rebound}'"), served.output


async def test_on_every_address_the_origin_is_compared_with_the_address_the_browser_used(serve):
    served = serve("--host", "0.0.0.0", "--join-code", RIGHT)
    lan = f"192.168.1.20:{served.port}"  # what a learner's browser uses: the server's LAN address
    status, headers, _ = get(served, f"/?code={RIGHT}", {"Host": lan, "Origin": f"http://{lan}"})
    assert status == 303
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    status, _, _ = get(served, "/?name=ada", {"Host": lan, "Origin": f"http://127.0.0.1:{served.port}", "Cookie": cookie})
    assert status == 403
    status, _, body = get(served, "/?name=ada", {"Host": lan, "Cookie": cookie})
    assert status == 200
    url = f"http://127.0.0.1:{served.port}/ws/{ticket_of(body)}"
    async with aiohttp.ClientSession() as client:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(url, origin="http://192.168.1.21:" + str(served.port), headers={"Host": lan})
        assert refused.value.status == 403
        assert served.children() == []
        async with client.ws_connect(url, origin=f"http://{lan}", headers={"Host": lan}) as websocket:
            served.wait_children(1)
            await websocket.close()
    served.wait_children(0)
