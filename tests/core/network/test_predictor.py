"""The predictor: raw millimetres and grams in, probabilities, a label and warnings out."""

import math

import numpy as np
import pytest

from playground.core.data.data_loaders import load_penguins
from playground.core.data.dataset import Feature
from playground.core.data.split import prepare
from playground.core.errors import InputError
from playground.core.files.project import project_from_trainer
from playground.core.network.predictor import Predictor, parse_input, range_warning
from playground.core.network.spec import default_spec
from playground.core.training.config import TrainingConfig
from playground.core.training.trainer import Trainer


@pytest.fixture(scope="module")
def trained():
    dataset = load_penguins()
    config = TrainingConfig(device="cpu")
    trainer = Trainer(prepare(dataset, config.val_fraction, config.seed),
                      default_spec(4, 3), config)
    trainer.run(config.epochs)
    return dataset, trainer


@pytest.fixture(scope="module")
def predictor(trained) -> Predictor:
    dataset, trainer = trained
    return project_from_trainer(trainer, dataset).predictor()


def test_probabilities_sum_to_one_and_label_is_the_argmax(predictor, trained):
    dataset, trainer = trained
    for row in dataset.x[::17]:
        p = predictor.predict(list(row))
        assert list(p.probabilities) == ["Adelie", "Gentoo", "Chinstrap"]
        values = np.array(list(p.probabilities.values()))
        assert values.sum() == pytest.approx(1.0, abs=1e-9)
        assert (values >= 0).all()
        assert p.label == max(p.probabilities, key=p.probabilities.get)
        # The same as the trained model on the standardized row.
        expected = trainer.predict_proba(trainer.data.standardizer.transform(row))[0]
        assert np.allclose(values, expected, atol=1e-5)


def test_typical_penguins(predictor):
    assert predictor.predict([39.1, 18.7, 181, 3750]).label == "Adelie"
    assert predictor.predict([46.1, 13.2, 211, 4500]).label == "Gentoo"
    assert predictor.predict([46.5, 17.9, 192, 3500]).label == "Chinstrap"
    p = predictor.predict([39.1, 18.7, 181, 3750])
    assert p.warnings == ()
    assert p.to_dict() == {"label": "Adelie", "probabilities": p.probabilities,
                           "warnings": []}


def test_strings_of_numbers_are_accepted(predictor):
    a = predictor.predict(["39.1", "18.7", " 181 ", "3750"])
    b = predictor.predict([39.1, 18.7, 181.0, 3750.0])
    assert a == b


def test_out_of_range_values_warn_with_the_range(predictor, trained):
    _, trainer = trained
    p = predictor.predict([37.3, 16.8, 19.2, 30.0])
    assert len(p.warnings) == 2
    flipper, mass = p.warnings
    low, high = trainer.data.train_low, trainer.data.train_high
    assert flipper.startswith("flipper length 19.2 mm is far below")
    assert f"({low[2]:.4g}–{high[2]:.4g} mm)" in flipper
    assert mass.startswith("body mass 30 g is far below")
    assert f"({low[3]:.4g}–{high[3]:.4g} g)" in mass
    joined = " ".join(p.warnings)
    assert "bill" not in joined  # 37.3 mm and 16.8 mm are ordinary
    assert p.label in p.probabilities  # still a prediction, flagged as a guess


def test_warning_above_and_near(predictor, trained):
    _, trainer = trained
    high = trainer.data.train_high
    p = predictor.predict([high[0] + 1.0, 16.8, 200, 4000])
    assert len(p.warnings) == 1
    assert p.warnings[0].startswith("bill length")
    assert " above " in p.warnings[0] and "far" not in p.warnings[0]
    # The edges of the range are inside it.
    edges = [trainer.data.train_low[0], trainer.data.train_high[1], 200, 4000]
    assert predictor.predict(edges).warnings == ()


def test_range_warning_unit_and_missing_range():
    f = Feature("x", "Width", "cm", 1.0, 2.0)
    assert range_warning(f, 1.5) is None
    assert range_warning(f, 2.1) == ("width 2.1 cm is above anything in the training data "
                                     "(1–2 cm); the prediction is a guess")
    assert "far below" in range_warning(f, -5.0)
    assert range_warning(Feature("y"), 1e9) is None  # no known range, no warning
    no_unit = range_warning(Feature("count", low=0.0, high=10.0), 11.0)
    assert no_unit.startswith("count 11 is above") and "(0–10)" in no_unit


@pytest.mark.parametrize("values, words", [
    (["abc", 18.7, 181, 3750], ["bill_length_mm", "'abc'", "not a number"]),
    ([39.1, None, 181, 3750], ["bill_depth_mm", "not a number"]),
    ([39.1, 18.7, [181], 3750], ["flipper_length_mm", "not a number"]),
    ([39.1, 18.7, 181, ""], ["body_mass_g", "not a number"]),
    ([39.1, 18.7, 181, "NaN"], ["body_mass_g", "finite"]),
    ([39.1, 18.7, math.nan, 3750], ["flipper_length_mm", "finite"]),
    ([39.1, 18.7, 181, "inf"], ["body_mass_g", "finite"]),
    ([-math.inf, 18.7, 181, 3750], ["bill_length_mm", "finite"]),
    ([39.1, 18.7, 181], ["expected 4 values", "got 3"]),
    ([39.1, 18.7, 181, 3750, 1], ["expected 4 values", "got 5"]),
    ([], ["expected 4 values", "got 0"]),
])
def test_bad_input_raises_input_error_naming_the_problem(predictor, values, words):
    with pytest.raises(InputError) as info:
        predictor.predict(values)
    message = str(info.value)
    for word in words:
        assert word in message
    assert "\n" not in message


def test_astronomical_values_are_an_error_not_nan(predictor):
    # 1e300 is finite, but standardized it overflows float32: no NaN "probabilities".
    with pytest.raises(InputError, match="body_mass_g: too far outside"):
        predictor.predict([39.1, 18.7, 181, 1e300])
    with pytest.raises(InputError, match="bill_length_mm, flipper_length_mm"):
        predictor.predict([-1e300, 18.7, 1e300, 3750])
    # Far, but still computable: a prediction with a warning.
    p = predictor.predict([39.1, 18.7, 181, 1e30])
    assert np.isfinite(list(p.probabilities.values())).all()
    assert len(p.warnings) == 1


def test_wrong_length_names_the_features(predictor):
    with pytest.raises(InputError, match="bill_length_mm, bill_depth_mm, flipper_length_mm, "
                                         "body_mass_g"):
        predictor.predict([1, 2])


def test_parse_input_returns_floats():
    features = (Feature("a"), Feature("b"))
    out = parse_input(["1.5", 2], features)
    assert out.dtype == np.float64 and out.tolist() == [1.5, 2.0]


ISLANDS = (Feature("mass"), Feature("island=Biscoe", group="island", category="Biscoe"),
           Feature("island=Dream", group="island", category="Dream"), Feature("depth"))


@pytest.mark.parametrize("values", [["3.5", "Dream", 2], [3.5, " dream ", "2"],
                                    [3.5, 0, 1, 2]])
def test_a_one_hot_group_takes_its_category_or_a_number_per_column(values):
    assert parse_input(values, ISLANDS).tolist() == [3.5, 0.0, 1.0, 2.0]


@pytest.mark.parametrize("values, words", [
    ([3.5, "Torgersen", 2], ["island", "'Torgersen'", "Biscoe, Dream", "or give 4 numbers"]),
    ([3.5, 2], ["3 values", "mass, island (Biscoe | Dream), depth", "or 4 numbers"]),
    ([3.5, 0, "x", 2], ["island=Dream", "'x'", "not a number"]),
])
def test_a_one_hot_group_says_what_it_accepts(values, words):
    with pytest.raises(InputError) as error:
        parse_input(values, ISLANDS)
    for word in words:
        assert word in str(error.value)


def test_a_one_category_group_takes_its_name_or_a_number():
    features = (Feature("mass"), Feature("sex=male", group="sex", category="male"))
    assert parse_input([3, "male"], features).tolist() == [3.0, 1.0]
    assert parse_input([3, "0"], features).tolist() == [3.0, 0.0]
    with pytest.raises(InputError, match="'female' is not one of male$"):
        parse_input([3, "female"], features)
