"""A scripted stand-in for the window's dialog seam: never blocks, records every call."""


class FakeDialogs:
    def __init__(self) -> None:
        self.calls: list[tuple] = []
        self.answers: list = []  # queued answers for ask / open_file / save_file

    def _next(self, default=None):
        return self.answers.pop(0) if self.answers else default

    def inform(self, title, text):
        self.calls.append(("inform", title, text))

    def error(self, title, text):
        self.calls.append(("error", title, text))

    def about(self, title, text):
        self.calls.append(("about", title, text))

    def ask(self, title, text, buttons=("Yes", "No")):
        """Scripted answer, else "Discard" where offered (so closing a test window never
        stops at "unsaved changes"), else the last button."""
        self.calls.append(("ask", title, text))
        return self._next("Discard" if "Discard" in buttons else buttons[-1])

    def number(self, title, label, value, low, high, decimals=2):
        self.calls.append(("number", title))
        return self._next(value)

    def open_file(self, title, filters, folder=""):
        self.calls.append(("open_file", title))
        return self._next()

    def choose_folder(self, title, folder=""):
        self.calls.append(("choose_folder", title))
        return self._next()

    def save_file(self, title, filters, suggested=""):
        self.calls.append(("save_file", title))
        return self._next()
