"""A minimal ASGI client for the sign-in routes' tests (starlette.testclient needs httpx, not installed):
one HTTP request to an ASGI app in this process, and the cookies its answer sets or clears."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

SITE = "http://testserver"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    set_cookies: list[str] = field(default_factory=list)
    body: bytes = b""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def cookies(self) -> SimpleCookie:
        jar = SimpleCookie()
        for header in self.set_cookies:
            jar.load(header)
        return jar


def request(app, method: str, path: str, form: dict | None = None, headers: dict | None = None,
            cookies: dict | None = None, scheme: str = "http") -> Answer:
    """`method path` with `form` url-encoded as the body, `headers` and `cookies` sent."""
    body = urlencode(form or {}).encode()
    sent = {"host": "testserver", "content-type": "application/x-www-form-urlencoded",
            "content-length": str(len(body)), **{name.lower(): value for name, value in (headers or {}).items()}}
    if cookies:
        sent["cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": scheme,
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(name.encode(), value.encode()) for name, value in sent.items()],
             "client": ("127.0.0.1", 50000), "server": ("testserver", 443 if scheme == "https" else 80)}
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    answer = Answer(0, {})

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        if message["type"] == "http.response.start":
            answer.status = message["status"]
            for name, value in message.get("headers", []):
                name, value = name.decode().lower(), value.decode()
                if name == "set-cookie":
                    answer.set_cookies.append(value)
                else:
                    answer.headers[name] = value
        elif message["type"] == "http.response.body":
            answer.body += message.get("body", b"")

    # On a thread of its own: a browser test run earlier in the same process leaves Playwright's event loop
    # running on this one, where asyncio.run() refuses to start another.
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, app(scope, receive, send)).result()
    return answer


def apply_cookies(jar: dict[str, str], answer: Answer) -> None:
    """Update a browser's `jar` with what `answer` set (a cookie with Max-Age=0 is removed)."""
    for name, morsel in answer.cookies().items():
        if morsel["max-age"] in ("0", 0) or not morsel.value.strip('"'):
            jar.pop(name, None)
        else:
            jar[name] = morsel.value
