"""Security headers on every response: no framing, no sniffing, no referrer leaks of secret links."""

from flask import Flask


def register_security_headers(app: Flask) -> None:
    """Add the security headers (and the Content-Security-Policy from config) to every response."""

    @app.after_request
    def add_headers(response):
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        # Personal links carry secret tokens in their path: never send them to another site.
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        policy = app.config.get("CONTENT_SECURITY_POLICY")
        if policy:
            headers.setdefault("Content-Security-Policy", policy)
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
