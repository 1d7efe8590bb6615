"""A fake ZGW zaaksysteem for MockTransport: keeps resources, checks the JWT, and can fail on request n."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import attrs
import httpx

ROOT = "https://zgw.test"
ZAKEN = f"{ROOT}/zaken/api/v1"
BESLUITEN = f"{ROOT}/besluiten/api/v1"
DOCUMENTEN = f"{ROOT}/documenten/api/v1"
SECRET = "zgw-secret-never-shown-to-anyone-32b"
CLIENT_ID = "bibob-test"


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def verify_jwt(token: str, secret: str = SECRET) -> dict[str, Any]:
    """The claims of an HS256 token, after checking its signature."""
    header, claims, signature = token.split(".")
    expected = hmac.new(secret.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    assert hmac.compare_digest(expected, _unb64(signature)), "bad signature"
    assert json.loads(_unb64(header)) == {"alg": "HS256", "typ": "JWT"}
    result: dict[str, Any] = json.loads(_unb64(claims))
    return result


def problem(status: int, code: str, *params: tuple[str, str]) -> httpx.Response:
    body = {
        "type": "",
        "code": code,
        "title": code,
        "status": status,
        "detail": "",
        "instance": "",
        "invalidParams": [{"name": n, "code": c, "reason": "waarde https://zgw.test/x ongeldig"} for n, c in params],
    }
    return httpx.Response(status, json=body, headers={"Content-Type": "application/problem+json"})  # fmt: skip


@attrs.define
class FakeZgw:
    """Resources by URL; `fail` maps a request number (1-based) to the status it answers instead.

    `lose` maps a request number to a status answered *after* doing the work (a lost response); `garble` answers
    after doing the work with a body that is no JSON.
    """

    resources: dict[str, dict[str, Any]] = attrs.Factory(dict)
    log: list[tuple[str, str]] = attrs.Factory(list)
    bodies: list[Any] = attrs.Factory(list)
    fail: dict[int, int | Exception] = attrs.Factory(dict)
    lose: dict[int, int] = attrs.Factory(dict)
    garble: set[int] = attrs.Factory(set)  # request numbers answered with a body that is no JSON
    secret: str = SECRET
    tokens: list[dict[str, Any]] = attrs.Factory(list)  # the claims of every accepted token

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(self))

    def of_kind(self, collection: str) -> list[dict[str, Any]]:
        return [r for url, r in self.resources.items() if url.rsplit("/", 2)[-2] == collection]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.log.append((request.method, request.url.path))
        body = json.loads(request.content) if request.content else None
        self.bodies.append(body)
        number = len(self.log)
        if number in self.fail:
            failure = self.fail[number]
            if isinstance(failure, Exception):
                raise failure
            return problem(failure, "error")
        try:
            claims = verify_jwt(request.headers["Authorization"].removeprefix("Bearer "), self.secret)
        except (AssertionError, KeyError, ValueError):
            return problem(403, "permission_denied")
        assert claims["client_id"] == claims["iss"] == CLIENT_ID
        self.tokens.append(claims)
        response = self._handle(request, body)
        if number in self.lose:
            return problem(self.lose[number], "gateway_timeout")
        if number in self.garble:
            return httpx.Response(response.status_code, text="<html>ok</html>")
        return response

    def _handle(self, request: httpx.Request, body: Any) -> httpx.Response:
        url = str(request.url.copy_with(query=None))
        if request.method == "POST":
            return self._create(url, body)
        if request.method == "GET" and url in self.resources:
            return httpx.Response(200, json=self.resources[url])
        if request.method == "GET":
            wanted = dict(request.url.params)
            found = [r for r in self.of_kind(url.rsplit("/", 1)[-1])
                     if all(str(r.get(k)) == v for k, v in wanted.items())]  # fmt: skip
            if url.endswith("/zaakinformatieobjecten"):  # the Zaken API lists these unpaginated
                return httpx.Response(200, json=found)
            return httpx.Response(200, json={"count": len(found), "next": None, "previous": None, "results": found})
        if request.method == "PATCH" and url in self.resources:
            self.resources[url].update(body)
            return httpx.Response(200, json=self.resources[url])
        return problem(404, "not_found")

    def _create(self, collection: str, body: dict[str, Any]) -> httpx.Response:
        kind = collection.rsplit("/", 1)[-1]
        if kind == "zaakinformatieobjecten" and any(
            (r["zaak"], r["informatieobject"]) == (body["zaak"], body["informatieobject"]) for r in self.of_kind(kind)
        ):
            return problem(400, "invalid", ("nonFieldErrors", "unique"))
        if kind in ("zaken", "besluiten", "enkelvoudiginformatieobjecten") and any(
            r["identificatie"] == body["identificatie"] for r in self.of_kind(kind)
        ):
            return problem(400, "invalid", ("identificatie", "identificatie-niet-uniek"))
        url = f"{collection}/{kind}-{len(self.resources) + 1}"
        self.resources[url] = (
            {**body, "url": url, "relevanteAndereZaken": []} if kind == "zaken" else {**body, "url": url}
        )
        return httpx.Response(201, json=self.resources[url], headers={"Location": url})
