"""A small OpenID Connect provider for the tests: discovery, JWKS, authorize, token.

It issues ES256 ID tokens for the person the test chose, checks PKCE (S256) and the client's
secret, and lets a test spoil the token (`override`: wrong nonce, audience, expiry...).
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import ECKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

CLIENT_ID = "portal-test"
CLIENT_SECRET = secrets.token_urlsafe(24)


class Provider:
    """The test double; `url` is its issuer once started."""

    def __init__(self):
        self.key = ECKey.generate_key("P-256", parameters={"kid": "test-1"})
        self.person = {}
        self.override = {}
        self.codes = {}
        self.authorize_requests = []
        self.url = ""

    def _json(self, data, status=200):
        return Response(json.dumps(data), status, mimetype="application/json")

    def __call__(self, environ, start_response):
        request = Request(environ)
        route = {
            "/.well-known/openid-configuration": self.discovery,
            "/jwks": self.jwks,
            "/authorize": self.authorize,
            "/token": self.token,
        }.get(request.path)
        response = route(request) if route else Response("not found", 404)
        return response(environ, start_response)

    def discovery(self, request):
        return self._json(
            {
                "issuer": self.url,
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
                "jwks_uri": f"{self.url}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["ES256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            }
        )

    def jwks(self, request):
        return self._json({"keys": [self.key.as_dict(private=False)]})

    def authorize(self, request):
        args = request.args
        self.authorize_requests.append(dict(args))
        code = secrets.token_urlsafe(16)
        self.codes[code] = dict(args)
        query = urlencode({"code": code, "state": args.get("state", "")})
        return Response("", 302, {"Location": f"{args['redirect_uri']}?{query}"})

    def token(self, request):
        auth = request.authorization
        if not auth or (auth.username, auth.password) != (CLIENT_ID, CLIENT_SECRET):
            return self._json({"error": "invalid_client"}, 401)
        asked = self.codes.pop(request.form.get("code", ""), None)
        if asked is None:
            return self._json({"error": "invalid_grant"}, 400)
        verifier = request.form.get("code_verifier", "")
        digest = hashlib.sha256(verifier.encode()).digest()
        challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        if asked.get("code_challenge_method") != "S256" or challenge != asked.get("code_challenge"):
            return self._json({"error": "invalid_grant", "error_description": "PKCE"}, 400)
        now = int(time.time())
        claims = {
            "iss": self.url,
            "sub": secrets.token_hex(8),
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": asked.get("nonce"),
            **self.person,
            **self.override,
        }
        claims = {k: v for k, v in claims.items() if v is not None}
        id_token = jwt.encode({"alg": "ES256", "kid": "test-1"}, claims, self.key)
        return self._json(
            {
                "access_token": secrets.token_urlsafe(16),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": id_token,
            }
        )


def start() -> tuple[Provider, object]:
    """Serve a provider on a free local port; returns it and the server (call .shutdown())."""
    provider = Provider()
    server = make_server("127.0.0.1", 0, provider, threaded=True)
    provider.url = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return provider, server
