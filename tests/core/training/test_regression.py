"""Regression: one linear output, the mean squared error, R² and the mean absolute error,
from the trainer through projects to the command line."""

import json

import numpy as np
import pytest

from playground.cli import main
from playground.core.data.split import prepare
from playground.core.data.toy_data import make_toy
from playground.core.errors import ProjectError
from playground.core.files.project import (
    check_dataset_fits,
    load_project,
    project_from_trainer,
    save_project,
    trainer_from_project,
)
from playground.core.network.spec import LayerSpec, NetworkSpec
from playground.core.training.config import TrainingConfig
from playground.core.training.metrics import regression_scores
from playground.core.training.trainer import Trainer


def surface_trainer(epochs=30):
    dataset = make_toy("surface", noise=0.1, seed=1)
    spec = NetworkSpec(2, 1, (LayerSpec(8, "tanh"),))
    trainer = Trainer(prepare(dataset, 0.2, 0), spec, TrainingConfig(device="cpu"))
    trainer.run(epochs)
    return dataset, trainer


def test_the_score_is_r2_as_computed_independently_from_the_predictions():
    dataset, trainer = surface_trainer()
    data = trainer.data
    truth = data.target_values(data.val_y)
    assert np.allclose(truth, dataset.y[data.val_index])  # the standardization undoes
    r2, mae = regression_scores(truth, trainer.predict_values(data.val_x))
    assert trainer.history.last("val_accuracy") == pytest.approx(r2, abs=1e-4)
    assert mae == pytest.approx(np.abs(truth - trainer.predict_values(data.val_x)).mean())


def test_regression_scores_by_hand():
    r2, mae = regression_scores([1.0, 2.0, 3.0], [1.0, 2.0, 4.0])
    assert r2 == pytest.approx(1 - 1 / 2) and mae == pytest.approx(1 / 3)


def test_a_regression_network_has_one_output():
    dataset = make_toy("surface")
    with pytest.raises(Exception, match="one output"):
        Trainer(prepare(dataset, 0.2, 0), NetworkSpec(2, 2), TrainingConfig(device="cpu"))


def test_a_regression_project_continues_where_it_stopped(tmp_path):
    dataset, trainer = surface_trainer()
    path = tmp_path / "s.nnp"
    save_project(project_from_trainer(trainer, dataset), path)
    project = load_project(path)
    again = trainer_from_project(project, dataset)
    assert again.regression and again.epoch == trainer.epoch
    x = trainer.data.val_x[:5]
    assert np.allclose(again.predict_values(x), trainer.predict_values(x))
    assert np.allclose(project.predictor().predict(dataset.x[0]).value,
                       trainer.predict_values(trainer.data.standardizer.transform(dataset.x[:1])))
    with pytest.raises(ProjectError, match="regression"):
        check_dataset_fits(project, make_toy("xor"))


def test_regression_on_the_command_line_reports_r2_and_mae(capsys):

    assert main(["train", "--toy", "surface", "--hidden", "16,16", "--activation", "tanh",
                 "--epochs", "600", "--lr", "0.03", "--json"]) == 0
    out = capsys.readouterr().out
    result = json.loads(out.strip().splitlines()[-1])
    assert "val_accuracy" not in result and result["val_r2"] > 0.8 and result["val_mae"] > 0
    assert "mean absolute error" in out and "R²" in out


def test_a_saved_regression_project_predicts_the_value_it_was_trained_on(tmp_path, capsys):


    path = tmp_path / "surface.nnp"
    assert main(["train", "--toy", "surface", "--hidden", "16", "--epochs", "50",
                 "--out", str(path)]) == 0
    project = load_project(path)
    assert project.is_regression and project.class_names == ()
    capsys.readouterr()
    assert main(["predict", "--model", str(path), "0.5", "-0.5", "--json"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["probabilities"] == {} and result["label"] == f"{result['value']:.4g}"
    assert result["value"] == project.predictor().predict([0.5, -0.5]).value


def test_onnx_of_a_regression_network_gives_the_value_in_data_units(tmp_path):
    import onnxruntime as ort

    from playground.core.files.export_onnx import export_onnx

    dataset, trainer = surface_trainer()
    project = project_from_trainer(trainer, dataset)
    path = export_onnx(project, tmp_path / "surface.onnx")
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    assert session.get_outputs()[0].name == "value"
    raw = dataset.x[:10].astype(np.float32)
    got = session.run(None, {"features": raw})[0][:, 0]
    want = trainer.predict_values(trainer.data.standardizer.transform(raw))
    np.testing.assert_allclose(got, want, atol=1e-4, rtol=1e-4)


def test_the_training_script_config_describes_a_regression():
    from playground.core.files.export_script import script_config

    dataset, trainer = surface_trainer(1)
    project = project_from_trainer(trainer, dataset)
    config = script_config(project, trainer.data)
    assert config["data"]["task"] == "regression" and config["data"]["classes"] == []
    assert config["data"]["variance"][0] == pytest.approx(np.var(trainer.data.train_y))
    assert config["data"]["source"]["generator"]["kind"] == "surface"
    assert config["project"]["target_standardization"] == project.target.to_dict()
