"""Cyclic garbage is collected on the GUI thread only (see ui/threads/main_thread_gc.py)."""

import gc
import threading

from PySide6.QtCore import QObject

from playground.ui.threads import main_thread_gc


def test_automatic_collection_is_off_and_the_timer_collects_on_the_gui_thread(qtbot):
    collector = main_thread_gc.install()
    assert main_thread_gc.install() is collector  # once per application
    assert not gc.isenabled()

    freed = []

    class Cycle:
        def __init__(self) -> None:
            self.me = self
            self.qt = QObject()  # a Qt wrapper inside the cycle, as a closed window's menu

        def __del__(self) -> None:
            freed.append(threading.current_thread() is threading.main_thread())

    n = 2 * gc.get_threshold()[0]  # enough to have triggered the automatic collector

    def make_garbage() -> None:
        for _ in range(n):
            Cycle()

    worker = threading.Thread(target=make_garbage)
    worker.start()
    worker.join()
    assert freed == []  # nothing was collected in the other thread
    qtbot.waitUntil(lambda: len(freed) == n, timeout=5_000)
    assert all(freed)  # ... but here, by the timer


def test_the_collector_collects_the_generation_whose_threshold_was_crossed(qtbot):
    collector = main_thread_gc.install()
    gc.collect()
    assert collector.collect_due() == -1  # nothing due
    junk = [[] for _ in range(gc.get_threshold()[0] + 10)]
    assert collector.collect_due() == 0
    del junk
