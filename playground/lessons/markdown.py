"""The Markdown a lesson's text may use: what Qt renders, minus what could reach outside it.

The lesson panel renders the text with Qt's Markdown support (CommonMark with GitHub's tables
and strike-through). A lesson comes from anyone, so its text may not make the panel load or
open anything: images (Qt would load the file or resource they name) and raw HTML (which Qt
renders as HTML, images and all) are refused, and links may only point to web pages or
e-mail addresses (a ``file:`` link could open a program). Everything else a teacher writes is
plain text to Qt.
"""
from __future__ import annotations

import re

from playground.messages import quote

LINK_SCHEMES = ("http", "https", "mailto")
_IMAGE = re.compile(r"!\[")
# where an HTML tag, comment or declaration could start (<b, </b, <!--, <?); a lone "<" before
# a space or a digit is plain text
_HTML = re.compile(r"<[A-Za-z/!?]")
_INLINE_LINK = re.compile(r"\]\(\s*<?([^\s)>]*)")
_REFERENCE_LINK = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]*)", re.M)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
# code is shown as it is written: a "<" in it is no tag
_CODE = re.compile(r"```.*?(?:```|\Z)|`[^`\n]*`", re.S)


def check_markdown(text: str, where: str) -> None:
    """ValueError naming the line and quoting what is not allowed in a lesson's text."""
    # code keeps its length and line breaks, so positions in prose are positions in text
    prose = _CODE.sub(lambda code: re.sub(r"[^\n]", " ", code.group(0)), text)
    image = _IMAGE.search(prose)
    if image:
        raise ValueError(f"{where}, line {_line(text, image.start())}: images are not allowed "
                         f"in a lesson's text ({quote(_excerpt(text, image.start()))})")
    for match in _AUTOLINK.finditer(prose):
        _check_target(match.group(1), text, match.start(), where)
    for pattern in (_INLINE_LINK, _REFERENCE_LINK):
        for match in pattern.finditer(prose):
            _check_target(match.group(1), text, match.start(1), where)
    for match in _HTML.finditer(prose):
        escaped = match.start() > 0 and prose[match.start() - 1] == "\\"
        if not escaped and not _AUTOLINK.match(prose, match.start()):
            raise ValueError(f"{where}, line {_line(text, match.start())}: HTML is not allowed "
                             f"in a lesson's text ({quote(_excerpt(text, match.start()))}; "
                             "write a < before a letter as \\< or &lt;)")


def _check_target(target: str, text: str, at: int, where: str) -> None:
    scheme = target.split(":", 1)[0].lower() if ":" in target else ""
    if scheme not in LINK_SCHEMES:
        raise ValueError(f"{where}, line {_line(text, at)}: the link {quote(target)} must start "
                         f"with {', '.join(f'{name}:' for name in LINK_SCHEMES)}")


def _line(text: str, at: int) -> int:
    return text.count("\n", 0, at) + 1


def _excerpt(text: str, at: int) -> str:
    return text[at: at + 40].split("\n", 1)[0]
