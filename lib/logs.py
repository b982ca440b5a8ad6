"""Log lines as JSON, one object a line, with link tokens taken out of every line.

Personal links (/r/<token>/), share links (/shared/<token>/) and invitations to a team
(/team/join/<token>/) carry their secret in the path, and Django's own error lines and
tracebacks include the path: the formatter redacts them all.
"""

import datetime
import json
import logging
import re

# In a path as the request has it, any segment after /r/, /shared/ or /team/join/ is a token.
SECRET_PATHS = re.compile(r"^/(r|shared|team/join)/[^/]+")
# In free text (an error line, a traceback) a token is a long run of URL-safe characters.
SECRETS_IN_TEXT = re.compile(r"/(r|shared|team/join)/[A-Za-z0-9_-]{16,}")


# Anywhere else, a run of at least a token's 43 URL-safe characters is taken for one: a link
# pasted into a mistyped path (/r//<token>/, /R/<token>/, /r/%20<token>/) still carries a live
# token. A slug that long would be hidden too, which costs a log reader less than a token would.
TOKEN_SHAPED = re.compile(r"[A-Za-z0-9_-]{43,}")


def redact_path(path: str) -> str:
    path = SECRET_PATHS.sub(lambda m: f"/{m.group(1)}/[token]", path)
    return TOKEN_SHAPED.sub("[token]", path)


def redact_text(text: str) -> str:
    text = SECRETS_IN_TEXT.sub(lambda m: f"/{m.group(1)}/[token]", text)
    return TOKEN_SHAPED.sub("[token]", text)


class JsonFormatter(logging.Formatter):
    """{"time", "level", "logger", "message"}, then the `fields` a caller passed in `extra`,
    then "exception" if there is one."""

    def format(self, record: logging.LogRecord) -> str:
        created = datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
        line = {
            "time": created.isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact_text(record.getMessage()),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            line["exception"] = redact_text(self.formatException(record.exc_info))
        return json.dumps(line, default=str)
