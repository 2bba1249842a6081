# SPDX-License-Identifier: BSD-2-Clause
"""What the login benchmarks read back (tests/bench/login_cost.sh,
login_scale.sh): the key-value output of sshd_lib's e2e_login, and the
test provider's access log (tests/idp/server.js: one request a line,
"TIME METHOD PATH STATUS ...", TIME in UTC with milliseconds)."""
import datetime


def kv(fn):
    """The "key value" lines of file fn as a dict."""
    return dict(l.split(" ", 1) for l in open(fn).read().splitlines() if " " in l)


def token_responses(fn):
    """The times (ms since the epoch) of the successful token responses in
    the provider's access log fn, in the log's order."""
    out = []
    for line in open(fn, errors="replace"):
        f = line.split()
        if len(f) >= 4 and f[1] == "POST" and f[2].endswith("/token") and f[3] == "200":
            t = datetime.datetime.strptime(f[0], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
            out.append(t.timestamp() * 1000)
    return out
