"""A value far outside the training range that fits at another scale (19.2 for a
flipper of 172–231 mm) gets "did you mean 192 mm?": in the command line's warning, and
in the prediction panel as a button that puts the value in."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDoubleSpinBox, QLabel, QPushButton

from playground.cli import main
from playground.core.data.data_loaders import load_penguins
from playground.core.data.dataset import Feature
from playground.core.network.predictor import range_warning, scale_fix, scale_fix_text

FLIPPER = Feature("flipper_length_mm", "Flipper length", "mm", 172.0, 231.0)
MASS = Feature("body_mass_g", "Body mass", "g", 2700.0, 6300.0)


@pytest.mark.parametrize("feature, value, fixed", [
    (FLIPPER, 19.2, 192.0),  # centimetres for millimetres
    (FLIPPER, 1.9, 190.0),
    (FLIPPER, 1920.0, 192.0),  # ten times too big
    (MASS, 30.0, 3000.0),  # hundreds of grams
    (MASS, 3.75, 3750.0),  # kilograms
    (MASS, 375_000.0, 3750.0),
])
def test_a_value_in_another_unit_is_scaled_into_the_range(feature, value, fixed):
    assert scale_fix(feature, value) == fixed
    unit = feature.unit
    assert scale_fix_text(feature, value) == f"did you mean {fixed:g} {unit}?"
    assert range_warning(feature, value).endswith(f" — did you mean {fixed:g} {unit}?")


@pytest.mark.parametrize("feature, value", [
    (FLIPPER, 200.0),  # inside: nothing to fix
    (FLIPPER, 240.0),  # just above: a big flipper, not another unit
    (FLIPPER, 5.0),  # ×10, ×100, ×1000 all miss the range
    (MASS, 0.0),
    (Feature("count", low=0.0, high=10.0), 11.0),  # near the edge: 1.1 would be silly
    (Feature("y"), 1e9),  # no known range
])
def test_no_hint_when_no_other_scale_fits_or_the_value_is_plausible(feature, value):
    assert scale_fix(feature, value) is None and scale_fix_text(feature, value) is None
    assert "did you mean" not in (range_warning(feature, value) or "")


def test_cli_predict_warns_with_the_hint(capsys, tmp_path):
    model = tmp_path / "p.pgproj"
    assert main(["train", "--epochs", "5", "--out", str(model)]) == 0
    capsys.readouterr()
    assert main(["predict", "--model", str(model), "37.3", "16.8", "19.2", "30.0",
                 "--json"]) == 0
    out, err = capsys.readouterr()
    assert "did you mean 192 mm?" in err and "did you mean 3000 g?" in err
    import json
    warnings = json.loads(out.strip().splitlines()[-1])["warnings"]
    assert sum("did you mean" in w for w in warnings) == 2


def test_panel_offers_the_fix_and_one_click_applies_it(qtbot):
    """The seed's example in other units. The flipper field holds whole millimetres, as
    the data does, so 19.2 reads 19 there: the button offers 190 mm."""
    from playground.ui.prediction.prediction_panel import PredictionPanel

    panel = PredictionPanel(load_penguins())
    qtbot.addWidget(panel)
    panel.show()

    def widget(kind, name):
        return panel.findChild(kind, name)

    panel.set_values([37.3, 16.8, 19.2, 30.0])
    flags = {c: widget(QLabel, f"rangeWarning:{c}") for c in ("flipper_length_mm",
                                                                "body_mass_g")}
    fixes = {c: widget(QPushButton, f"rangeFix:{c}") for c in flags}
    assert all(f.isVisible() for f in [*flags.values(), *fixes.values()])
    assert fixes["flipper_length_mm"].text() == "Did you mean 190 mm?"
    assert fixes["body_mass_g"].text() == "Did you mean 3000 g?"
    assert not widget(QPushButton, "rangeFix:bill_length_mm").isVisible()

    with qtbot.waitSignal(panel.inputChanged, timeout=2_000) as changed:
        qtbot.mouseClick(fixes["body_mass_g"], Qt.MouseButton.LeftButton)
    assert widget(QDoubleSpinBox, "featureInput:body_mass_g").value() == 3000.0
    assert list(changed.args[0]) == [37.3, 16.8, 19.0, 3000.0]  # nothing else changed
    assert not flags["body_mass_g"].isVisible() and not fixes["body_mass_g"].isVisible()
    assert flags["flipper_length_mm"].isVisible()  # still to mend

    qtbot.mouseClick(fixes["flipper_length_mm"], Qt.MouseButton.LeftButton)
    assert widget(QDoubleSpinBox, "featureInput:flipper_length_mm").value() == 190.0
    assert not any(f.isVisible() for f in [*flags.values(), *fixes.values()])
