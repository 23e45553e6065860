"""The About dialog: the app's name, icon, version, licence and the libraries it is built on."""

from __future__ import annotations

import html
import platform
from dataclasses import dataclass

import numpy
import pyqtgraph
import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from playground import __version__
from playground.qt.icon import app_icon

APP_NAME = "Backprop Playground"
DESCRIPTION = (
    "Build small neural networks, draw 2-D data and watch backpropagation train them live."
)
COPYRIGHT = "Copyright (c) 2026 Backprop Playground developers"
LICENCE_NAME = "MIT License"
# Kept identical to the repository's LICENSE file (tests/qt/test_about.py compares them): the
# packaged app has no LICENSE file of its own to read, but must still show its licence.
LICENCE_TEXT = f"""\
MIT License

{COPYRIGHT}

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""


@dataclass(frozen=True)
class Credit:
    """A library the app is built on, with the version actually running and its licence."""

    name: str
    version: str
    licence: str
    url: str


def credits() -> tuple[Credit, ...]:
    """The libraries shipped with (or underneath) the app, with their running versions."""
    return (
        Credit("NumPy", numpy.__version__, "BSD-3-Clause", "https://numpy.org"),
        Credit("PySide6 (Qt for Python)", PySide6.__version__, "LGPL-3.0",
               "https://doc.qt.io/qtforpython-6/"),
        Credit("Qt", qVersion(), "LGPL-3.0", "https://www.qt.io"),
        Credit("pyqtgraph", pyqtgraph.__version__, "MIT", "https://www.pyqtgraph.org"),
        Credit("Python", platform.python_version(), "PSF-2.0", "https://www.python.org"),
    )


class AboutDialog(QDialog):
    """Modal About box: icon, name and version on top; About, Credits and Licence tabs below."""

    ICON_SIZE = 96

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(f"About {APP_NAME}")
        self.setWindowIcon(app_icon())

        layout = QVBoxLayout(self)
        layout.addLayout(self._header())

        self.tabs = QTabWidget(objectName="aboutTabs")
        self.tabs.addTab(self._about_tab(), "About")
        self.tabs.addTab(self._credits_tab(), "Credits")
        self.tabs.addTab(self._licence_tab(), "Licence")
        layout.addWidget(self.tabs, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.setObjectName("aboutButtons")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 480)

    def _header(self) -> QHBoxLayout:
        icon_label = QLabel(objectName="aboutIcon")
        icon_label.setPixmap(app_icon().pixmap(self.ICON_SIZE, self.ICON_SIZE))
        icon_label.setFixedSize(self.ICON_SIZE, self.ICON_SIZE)

        title = QLabel(f"<h2>{APP_NAME}</h2>", objectName="aboutTitle")
        self.version_label = QLabel(f"Version {__version__}", objectName="aboutVersion")
        self.version_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text = QVBoxLayout()
        text.addStretch(1)
        text.addWidget(title)
        text.addWidget(self.version_label)
        text.addStretch(1)

        header = QHBoxLayout()
        header.addWidget(icon_label)
        header.addSpacing(12)
        header.addLayout(text, 1)
        return header

    def _about_tab(self) -> QLabel:
        body = (
            f"<p>{html.escape(DESCRIPTION)}</p>"
            f"<p>{html.escape(COPYRIGHT)}.<br>"
            f"Free software under the {LICENCE_NAME} (see the Licence tab).</p>"
        )
        return self._rich_label(body, "aboutText")

    def _credits_tab(self) -> QLabel:
        rows = "".join(
            f"<tr><td><a href='{c.url}'>{html.escape(c.name)}</a></td>"
            f"<td>&nbsp;{html.escape(c.version)}&nbsp;</td><td>{c.licence}</td></tr>"
            for c in credits()
        )
        body = (
            "<p>Backprop Playground is built on these projects; thank you to their authors.</p>"
            f"<table cellspacing='4'><tr><th align='left'>Project</th><th>Version</th>"
            f"<th align='left'>Licence</th></tr>{rows}</table>"
        )
        return self._rich_label(body, "aboutCredits")

    def _licence_tab(self) -> QPlainTextEdit:
        self.licence_view = QPlainTextEdit(LICENCE_TEXT, objectName="aboutLicence")
        self.licence_view.setReadOnly(True)
        # The text is hard-wrapped at 79 columns; soft wrapping on top of that makes it ragged.
        self.licence_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.licence_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        return self.licence_view

    @staticmethod
    def _rich_label(body: str, name: str) -> QLabel:
        label = QLabel(body, objectName=name)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        label.setOpenExternalLinks(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        label.setContentsMargins(8, 8, 8, 8)
        return label


def show_about_dialog(parent: QWidget | None = None) -> int:
    """Show the About dialog modally (for a Help > About menu action); returns exec()'s code."""
    return AboutDialog(parent).exec()
