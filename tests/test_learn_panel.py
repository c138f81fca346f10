"""The Learn panel: every lesson points at a real place in the window and highlights it."""

from fnmatch import fnmatchcase

from PySide6.QtWidgets import QWidget
from test_window import window  # noqa: F401

from playground.core.lessons import LESSONS, Lesson

CONCEPTS = {"features", "weights", "activations", "layers", "softmax", "loss", "gradient",
            "epochs", "batches", "validation", "gpu"}


def test_the_issue_s_concepts_are_all_taught():
    assert {lesson.key for lesson in LESSONS} == CONCEPTS
    assert all(len(lesson.text) > 150 for lesson in LESSONS)


def test_a_now_line_needs_its_facts():
    lesson = Lesson("k", "t", "x", ("a",), "{epoch:,} epochs")
    assert lesson.now_text({"epoch": 1200}) == "1,200 epochs"
    assert lesson.now_text({}) == ""


def open_learn(qtbot, w):
    w.actions["learn"].trigger()  # Help ▸ Learn the concepts (F1)
    qtbot.waitUntil(lambda: "learnDock" in w.insights.views, timeout=5_000)
    panel = w.insights.view("learnDock")
    qtbot.waitUntil(panel.isVisible, timeout=5_000)
    return panel


def test_every_lesson_highlights_its_place(qtbot, window):  # noqa: F811
    panel = open_learn(qtbot, window)
    window.docks["controls"].hide()  # a lesson about a setting opens its dock again
    names = [w.objectName() for w in window.findChildren(QWidget)]
    for row, lesson in enumerate(LESSONS):
        for pattern in lesson.targets:
            assert any(fnmatchcase(n, pattern) for n in names), f"{lesson.key}: {pattern}"
        panel.list.setCurrentRow(row)
        rect = panel.point_at(row)
        assert rect is not None and panel.highlight.isVisible(), lesson.key
        # The frame surrounds every visible target.
        for target in panel.targets(row):
            top_left = target.mapTo(window, target.rect().topLeft())
            assert rect.contains(top_left) and rect.contains(
                top_left + target.rect().bottomRight()), (lesson.key, target.objectName())
    assert window.docks["controls"].isVisible()
    qtbot.waitUntil(lambda: not panel.highlight.isVisible(), timeout=5_000)


def test_lessons_speak_of_the_network_as_it_is(qtbot, window):  # noqa: F811
    panel = open_learn(qtbot, window)
    window.insights.refresh()
    panel.list.setCurrentRow([lesson.key for lesson in LESSONS].index("weights"))
    assert f"{window.spec.parameter_count():,} weights and biases" in panel.text.toPlainText()
    panel.list.setCurrentRow([lesson.key for lesson in LESSONS].index("validation"))
    split = window._split
    assert f"{len(split.train_y)} penguins train the network; {len(split.val_y)} check it" \
        in panel.text.toPlainText()
    qtbot.waitUntil(lambda: not panel.highlight.isVisible(), timeout=5_000)
