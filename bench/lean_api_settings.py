"""An experiment for ``bench/votes_load.py --settings bench.lean_api_settings``: the site's
settings with the middleware that a JSON API call does not use taken out (sessions, messages,
locale, CSRF, authentication, sign-in policy, CSP, static files).

Not a deployment setting -- pages need that middleware. It measures how much of a vote's
server time goes to middleware, i.e. what a separate "API lane" (the API mounted without
the page middleware) would save. See docs/load.md.
"""

from tracktwo.site.settings import *  # noqa: F403
from tracktwo.site.settings import MIDDLEWARE as _ALL

_PAGE_ONLY = {
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tracktwo.accounts.middleware.SignInPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
}
MIDDLEWARE = [name for name in _ALL if name not in _PAGE_ONLY]
