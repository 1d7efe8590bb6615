"""Sign-in through the municipality's OpenID Connect provider: settings, the provider's keys, and token checks.

Pages use the authorization code flow with PKCE (Authlib, in `service.web.oidc_pages`); the API accepts the
provider's access tokens as bearer JWTs (RFC 9068), checked here against the provider's published keys (JWKS):
signature, issuer, audience, expiry. The role comes from one claim (by default `groups`) through a configured
mapping; a person whose claim maps to no role, or to more than one, is refused. Local accounts stay the default.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Mapping
from typing import Any

import attrs
import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from bibob.exceptions import InvalidInputError, Problem
from service.auth import Principal, Role

KEYS_TTL = 600.0  # seconds the provider's metadata and keys are trusted before they are fetched again
ALGORITHMS = ("RS256", "PS256", "ES256")
_USER = re.compile(r"[\w.@-]{1,128}")


@attrs.frozen
class OidcSettings:
    """The provider and how its people become principals (settings `BIBOB_OIDC_*`, see the README)."""

    issuer: str
    client_id: str
    client_secret: str = attrs.field(repr=False)
    role_map: Mapping[str, Role] = attrs.field(factory=dict)  # a value of the role claim → a role
    role_claim: str = "groups"
    user_claim: str = "sub"
    audience: str = ""  # the `aud` of access tokens for the API; empty: the API takes no provider tokens
    scopes: str = "openid profile groups"
    label: str = "uw organisatie"  # on the sign-in button: "Aanmelden via …"
    redirect_url: str = ""  # empty: this service's own address + /aanmelden/oidc/terug
    post_logout_url: str = ""  # empty: this service's own address + /aanmelden?melding=afgemeld


class OidcError(Exception):
    """A token or an answer of the provider that cannot be trusted; `reason` is Dutch and names no person."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def oidc_from_env(env: Mapping[str, str] | None = None) -> OidcSettings | None:
    """The provider's settings, or None when `BIBOB_OIDC_ISSUER` is not set; problems are raised all at once."""
    env = os.environ if env is None else env
    issuer = env.get("BIBOB_OIDC_ISSUER", "").strip().rstrip("/")
    if not issuer:
        return None
    problems = []
    if not issuer.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        problems.append(Problem("BIBOB_OIDC_ISSUER", "invalidSetting", "moet een https-adres zijn"))
    for name in ("BIBOB_OIDC_CLIENT_ID", "BIBOB_OIDC_CLIENT_SECRET"):
        if not env.get(name, "").strip():
            problems.append(Problem(name, "invalidSetting", "verplicht wanneer BIBOB_OIDC_ISSUER is gezet"))
    role_map = parse_role_map(env.get("BIBOB_OIDC_ROLE_MAP", ""), problems)
    if problems:
        raise InvalidInputError(problems)
    return OidcSettings(
        issuer=issuer,
        client_id=env["BIBOB_OIDC_CLIENT_ID"].strip(),
        client_secret=env["BIBOB_OIDC_CLIENT_SECRET"].strip(),
        role_map=role_map,
        role_claim=env.get("BIBOB_OIDC_ROLE_CLAIM", "groups").strip() or "groups",
        user_claim=env.get("BIBOB_OIDC_USER_CLAIM", "sub").strip() or "sub",
        audience=env.get("BIBOB_OIDC_AUDIENCE", "").strip(),
        scopes=env.get("BIBOB_OIDC_SCOPES", "openid profile groups").strip(),
        label=env.get("BIBOB_OIDC_LABEL", "uw organisatie").strip() or "uw organisatie",
        redirect_url=env.get("BIBOB_OIDC_REDIRECT_URL", "").strip(),
        post_logout_url=env.get("BIBOB_OIDC_POST_LOGOUT_URL", "").strip(),
    )


def parse_role_map(raw: str, problems: list[Problem]) -> dict[str, Role]:
    """`value=role,value=role` (a claim value, then a role's wire value); each bad pair is one problem."""
    mapping: dict[str, Role] = {}
    for pair in filter(None, (part.strip() for part in raw.split(","))):
        value, _, role_name = pair.rpartition("=")
        role = Role.parse(role_name.strip())
        if not value.strip() or role is None:
            choices = ", ".join(r.value for r in Role)
            problems.append(
                Problem("BIBOB_OIDC_ROLE_MAP", "invalidSetting", f"verwacht waarde=rol met rol uit {choices}")
            )
        else:
            mapping[value.strip()] = role
    if not mapping and not problems:
        problems.append(Problem("BIBOB_OIDC_ROLE_MAP", "invalidSetting", "noem ten minste één waarde=rol"))
    return mapping


def principal_from_claims(settings: OidcSettings, claims: Mapping[str, Any]) -> Principal:
    """The principal a provider's claims stand for: the user claim, and the one role its role claim maps to."""
    user = claims.get(settings.user_claim)
    if not isinstance(user, str) or not _USER.fullmatch(user):
        raise OidcError("de aanbieder gaf geen bruikbare gebruikersnaam")
    values = claims.get(settings.role_claim, [])
    values = [values] if isinstance(values, str) else values if isinstance(values, list) else []
    roles = {settings.role_map[v] for v in values if isinstance(v, str) and v in settings.role_map}
    if not roles:
        raise OidcError("uw account heeft bij de aanbieder geen rol voor deze toepassing")
    if len(roles) > 1:
        raise OidcError("uw account heeft bij de aanbieder meer dan één rol voor deze toepassing")
    return Principal(user, roles.pop())


class Provider:
    """The provider's metadata and keys, fetched when first needed and again after `KEYS_TTL` or an unknown key."""

    def __init__(self, settings: OidcSettings, http: httpx.AsyncClient) -> None:
        self.settings = settings
        self._http = http
        self._metadata: dict[str, Any] | None = None
        self._keys: KeySet | None = None
        self._fetched = 0.0

    async def metadata(self) -> dict[str, Any]:
        """The discovery document (`/.well-known/openid-configuration`); its issuer must be the configured one."""
        if self._metadata is None or time.monotonic() - self._fetched > KEYS_TTL:
            found = await self._get(f"{self.settings.issuer}/.well-known/openid-configuration")
            if found.get("issuer") != self.settings.issuer:
                raise OidcError("de aanbieder noemt een andere uitgever dan ingesteld")
            self._metadata, self._keys, self._fetched = found, None, time.monotonic()
        return self._metadata

    async def end_session_url(self, id_token: str, post_logout_url: str) -> str | None:
        """Where to send the browser so the session at the provider ends too (OpenID Connect RP-Initiated Logout
        1.0): the discovery's `end_session_endpoint` with `id_token_hint`, `client_id` and
        `post_logout_redirect_uri`; None when the provider offers no such endpoint or cannot be reached."""
        try:
            endpoint = (await self.metadata()).get("end_session_endpoint")
        except OidcError:
            return None
        if not isinstance(endpoint, str) or not endpoint.startswith(("https://", "http://")):
            return None
        query = {"id_token_hint": id_token, "client_id": self.settings.client_id}
        return str(httpx.URL(endpoint).copy_merge_params(query | {"post_logout_redirect_uri": post_logout_url}))

    async def keys(self, *, fresh: bool = False) -> KeySet:
        """The provider's public keys (JWKS)."""
        metadata = await self.metadata()
        if self._keys is None or fresh:
            self._keys = KeySet.import_key_set(await self._get(str(metadata["jwks_uri"])))  # type: ignore[arg-type]
        return self._keys

    async def _get(self, url: str) -> dict[str, Any]:
        try:
            response = await self._http.get(url, timeout=10.0)
            response.raise_for_status()
            found = response.json()
        except (httpx.HTTPError, ValueError):
            raise OidcError("de aanbieder van de aanmelding is niet bereikbaar") from None
        if not isinstance(found, dict):
            raise OidcError("de aanbieder gaf een onverwacht antwoord")
        return found

    async def check(self, token: str, *, audience: str, now: dt.datetime, nonce: str | None = None) -> dict[str, Any]:
        """The claims of a JWT the provider signed for `audience`, current at `now`; `OidcError` otherwise."""
        keys = await self.keys()
        try:
            try:
                decoded = jwt.decode(token, keys, algorithms=ALGORITHMS)
            except JoseError:  # perhaps a key the provider added since: fetch them once more
                decoded = jwt.decode(token, await self.keys(fresh=True), algorithms=ALGORITHMS)
            registry = jwt.JWTClaimsRegistry(
                now=int(now.timestamp()),
                leeway=30,
                iss={"essential": True, "value": self.settings.issuer},
                aud={"essential": True, "value": audience},
                exp={"essential": True},
            )
            registry.validate(decoded.claims)
        except (JoseError, ValueError):
            raise OidcError("het token is ongeldig of verlopen") from None
        if nonce is not None and decoded.claims.get("nonce") != nonce:
            raise OidcError("het antwoord van de aanbieder hoort niet bij deze aanmelding")
        return dict(decoded.claims)


def looks_like_jwt(token: str) -> bool:
    """Three base64url parts: worth checking as a provider's token (our own tokens start with `bibob_`)."""
    return token.count(".") == 2 and len(token) <= 8192
