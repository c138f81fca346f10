"""The Learn panel: every lesson points at a real place in the window and highlights it."""

from dataclasses import replace
from fnmatch import fnmatchcase

from PySide6.QtWidgets import QWidget
from support.window import (
    open_learn,
    window,  # noqa: F401
)

from playground.core.data.dataset import Feature
from playground.core.data.toy_data import make_toy
from playground.core.lessons import LESSONS, PENGUIN_WORDS, Lesson, words_for

CONCEPTS = {"features", "weights", "activations", "layers", "softmax", "loss", "gradient",
            "epochs", "batches", "validation", "gpu", "engineered", "variants"}


def test_the_issue_s_concepts_are_all_taught():
    assert {lesson.key for lesson in LESSONS} == CONCEPTS
    assert all(len(lesson.text) > 150 for lesson in LESSONS)


def test_a_now_line_needs_its_facts():
    lesson = Lesson("k", "t", "x", ("a",), "{epoch:,} epochs")
    assert lesson.now_text({"epoch": 1200}) == "1,200 epochs"
    assert lesson.now_text({}) == ""


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
    split = window.session.split
    assert f"{len(split.train_y)} penguins train the network; {len(split.val_y)} check it" \
        in panel.text.toPlainText()
    qtbot.waitUntil(lambda: not panel.highlight.isVisible(), timeout=5_000)


def test_the_lessons_words_follow_the_data_set(penguins):
    assert words_for(penguins) == PENGUIN_WORDS  # the words used without a window
    for lesson in LESSONS:  # every placeholder has its word
        assert "{" not in lesson.text_for({}) and "}" not in lesson.text_for({}), lesson.key
    xor = make_toy("xor", 0.1, 0, rows=200)
    words = words_for(xor)
    assert (words["rows"], words["class_noun"], words["classes"]) == ("samples", "class",
                                                                        "classes")
    for lesson in LESSONS:
        text = lesson.text_for(words)
        assert "penguin" not in text and "species" not in text, lesson.key
    features = LESSONS[0].text_for(words)
    assert f"its <b>features</b>: {words['feature_names']}." in features
    assert " and " in words["feature_names"]


def test_many_features_are_summed_up(penguins):
    wide = replace(penguins, features=tuple(Feature(f"x{i}") for i in range(32)))
    assert words_for(wide)["feature_names"] == "x0, x1, x2, x3, x4 and 27 more"
    grouped = replace(penguins, features=(Feature("Area", "Area"),
                                          Feature("garden=no", group="garden", category="no"),
                                          Feature("garden=yes", group="garden",
                                                  category="yes")))
    words = words_for(grouped)
    assert words["feature_names"] == "area and garden"
    assert (words["feature_count"], words["inputs_note"]) == (
        2, " (3 input neurons: a text feature has one per category)")
    named = replace(penguins, features=(Feature("a<b", "a<b"),), label="y&z")
    assert words_for(named)["feature_names"] == "a&lt;b"  # the lessons are HTML


def test_a_lesson_in_the_window_speaks_of_its_data_set(qtbot, window):  # noqa: F811
    from support.window import switch

    panel = open_learn(qtbot, window)
    panel.list.setCurrentRow(0)
    assert "Each penguin is described" in panel.text.toPlainText()
    switch(qtbot, window, "xor", 0.2)
    panel = open_learn(qtbot, window)  # the views are made anew for another data set
    window.insights.refresh()
    panel.list.setCurrentRow(len(LESSONS) - 1)
    panel.list.setCurrentRow(0)
    assert "Each sample is described by a few numbers, its features: x" in \
        panel.text.toPlainText()
    qtbot.waitUntil(lambda: not panel.highlight.isVisible(), timeout=5_000)
