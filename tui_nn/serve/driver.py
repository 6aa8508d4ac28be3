"""The driver of a served app process: textual's browser driver, plus one rule.

When the app's input ends without a quit (the server was killed, so nobody will ever send a
key or a "quit" again), the app quits. Textual's own driver keeps such an app alive for ever.
textual-serve's AppService names this driver in the app's TEXTUAL_DRIVER variable.
"""

from __future__ import annotations

from textual import messages
from textual.drivers.web_driver import WebDriver

#: The import path of the driver, as TEXTUAL_DRIVER wants it.
DRIVER = f"{__name__}:ServedDriver"


class ServedDriver(WebDriver):
    def run_input_thread(self) -> None:
        super().run_input_thread()
        if not self.exit_event.is_set():  # the input ended by itself: the server is gone
            self.send_message(messages.ExitApp())
