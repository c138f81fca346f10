"""Importing any CSV (core, no Qt): the preview, the plan, the import and bad files."""

import hashlib

import numpy as np
import pytest
from import_files import BAD_FILES, bad_file, big_enough, houses, semicolon_cp1252, shops, write

from playground.core.data.column_roles import ImportPlan
from playground.core.data.table_import import ImportCancelled, import_table, preview, table_fits
from playground.core.errors import DataError


def test_preview_describes_each_column(tmp_path):
    table = preview(shops(tmp_path))
    kinds = {c.name: c.kind for c in table.columns}
    assert kinds == {"customer_id": "id", "name": "id", "region": "text", "visits": "number",
                     "spend": "number", "segment": "text"}
    by_name = {c.name: c for c in table.columns}
    assert by_name["spend"].missing == 1
    assert by_name["region"].describe("feature") == "text, one-hot: 3 categories"
    assert by_name["visits"].describe("feature") == "number, standardized"
    assert by_name["customer_id"].describe("ignore") == "ID: a different value on every row, " \
                                                        "ignored"
    assert "1 missing" in by_name["spend"].describe("feature")
    assert table.rows[0][1] == "Shop 0, North Street"  # quotes with a comma inside
    plan = table.default_plan()
    assert plan.label == "segment" and plan.task == "classification"
    assert plan.features == ("region", "visits", "spend") and plan.categorical == ("region",)
    assert table.summary(plan) == "Classification: 2 classes, 59 rows, 5 inputs"
    assert table.problem(plan) is None


def test_classification_with_one_hot_groups_and_dropped_rows(tmp_path):
    path = shops(tmp_path)
    plan = preview(path).default_plan()
    ds = import_table(path, plan)
    assert ds.task == "classification" and ds.class_names == ("casual", "loyal")
    assert [f.column for f in ds.features] == ["region=east", "region=north", "region=south",
                                               "visits", "spend"]
    region = [f for f in ds.features if f.is_one_hot]
    assert {f.group for f in region} == {"region"}
    assert [f.category for f in region] == ["east", "north", "south"]
    assert np.all(ds.x[:, :3].sum(axis=1) == 1)  # exactly one category per row
    assert len(ds) == 59 and ds.dropped == 1 and ds.y.dtype == np.int64
    assert ds.x.dtype == np.float64 and ds.n_outputs == 2
    identity = ds.identity
    assert identity["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert identity["size"] == path.stat().st_size and identity["builtin"] is False
    assert ImportPlan.from_dict(identity["import"]) == plan
    assert identity["missing"] == {"rows_dropped": 1, "values_filled": {}}


def test_fill_instead_of_drop(tmp_path):
    path = shops(tmp_path)
    table = preview(path)
    plan = table.plan_for({"segment": "label", "region": "feature", "spend": "feature"},
                          missing="fill")
    assert table.summary(plan) == "Classification: 2 classes, 60 rows, 4 inputs"
    ds = import_table(path, plan)
    assert len(ds) == 60 and ds.dropped == 0
    assert ds.identity["missing"]["values_filled"] == {"spend": 1}
    spend = ds.x[:, 3]
    assert np.isclose(spend[7], np.delete(spend, 7).mean())


def test_regression_is_detected(tmp_path):
    path = houses(tmp_path)
    table = preview(path)
    plan = table.default_plan()
    assert plan.label == "price" and plan.task == "regression"
    assert table.summary(plan) == "Regression: predicts price, 200 rows, 4 inputs"
    ds = import_table(path, plan)
    assert ds.task == "regression" and ds.is_regression and ds.class_names == ()
    assert ds.y.dtype == np.float64 and ds.n_outputs == 1 and len(np.unique(ds.y)) > 150
    # The plan overrides the guess; as classes, every price is one: too many.
    as_classes = ImportPlan.from_dict({**plan.to_dict(), "task": "classification"})
    assert "too many classes" in table.problem(as_classes)


def test_semicolons_decimal_commas_and_cp1252(tmp_path):
    path = semicolon_cp1252(tmp_path)
    table = preview(path)
    assert (table.format.delimiter, table.format.encoding, table.format.decimal) == (
        ";", "cp1252", ",")
    ds = import_table(path, table.default_plan())
    assert ds.class_names == ("Äpfel", "Birnen")  # sorted ignoring the accent
    assert ds.features[0].column == "Größe" and ds.x[1, 0] == 15.1
    assert [f.category for f in ds.features if f.is_one_hot] == ["gelb", "grün", "rot"]


def test_utf8_with_bom_and_tabs(tmp_path):
    path = tmp_path / "t.tsv"
    path.write_bytes("\ufeffa\tb\tkind\n1\t2\tx\n3\t4\ty\n5\t6\tx\n".encode())
    ds = import_table(path, preview(path).default_plan())
    assert [f.column for f in ds.features] == ["a", "b"] and ds.class_names == ("x", "y")


def test_numeric_label_with_few_values_is_classification(tmp_path):
    rows = "".join(f"{i * i % 17},{i % 3}\n" for i in range(30))
    path = write(tmp_path / "d.csv", "a,y\n" + rows)
    table = preview(path)
    assert table.default_plan().task == "classification"
    assert import_table(path, table.default_plan()).class_names == ("0", "1", "2")


def test_progress_and_cancel(tmp_path):
    path = big_enough(tmp_path, 20_000)
    plan = preview(path).default_plan()
    seen = []
    import_table(path, plan, progress=seen.append)
    assert seen[-1] == 1.0 and seen == sorted(seen)
    with pytest.raises(ImportCancelled):
        import_table(path, plan, cancelled=lambda: True)


@pytest.mark.parametrize("name, _, words", BAD_FILES)
def test_bad_files(tmp_path, name, _, words):
    path = bad_file(tmp_path, name)
    with pytest.raises(DataError) as info:
        import_table(path, preview(path).default_plan())
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message, (word, message)


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        preview(tmp_path / "gone.csv")


def test_memory_limit_is_checked_before_reading(tmp_path):
    path = big_enough(tmp_path)
    plan = preview(path).default_plan()
    with pytest.raises(DataError, match="more than the .* an import may use"):
        import_table(path, plan, memory_limit=10_000)
    assert len(import_table(path, plan)) == 2000


def test_plan_round_trip_and_validation():
    plan = ImportPlan("y", ("a", "b"), ("b",), "regression", "fill", None, ";", "cp1252", ",")
    assert ImportPlan.from_dict(plan.to_dict()) == plan
    with pytest.raises(DataError, match="both"):
        ImportPlan("a", ("a",))
    with pytest.raises(DataError, match="missing"):
        ImportPlan("y", ("a",), missing="guess")


def test_changed_columns_are_named(tmp_path):
    path = shops(tmp_path)
    plan = preview(path).default_plan()
    before = import_table(path, plan)
    path.write_text(path.read_text().replace(",east,", ",west,"))
    after = import_table(path, plan)
    reason = table_fits(after, before.features, before.class_names)
    assert "region=east" in reason and "region=west" in reason
    assert table_fits(before, before.features, before.class_names) is None
