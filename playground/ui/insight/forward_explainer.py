""""Explain this prediction": the forward pass for the prediction panel's penguin,
step by step, with the numbers the network computes right now (for a regression
network: a linear output, turned back into the data's units)."""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import QUrl, Signal, Slot
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from playground.core.network.engineered import term_name
from playground.core.network.explain import Explanation, explain

SHOWN_UNITS = 12  # a wider layer shows its first units and says how many more

FORMULAS = {
    "relu": "max(0, z)",
    "leaky_relu": "z if z > 0, else 0.01·z",
    "tanh": "tanh(z)",
    "sigmoid": "1 / (1 + e<sup>−z</sup>)",
    "gelu": "z·Φ(z)",
    "linear": "z (no change)",
}


def vector_text(values: np.ndarray, digits: int = 3) -> str:
    """A layer's values as text, the first few of a wide one: "[0.123, -1.200, … 5 more]"."""
    shown = ", ".join(f"{v:.{digits}f}" for v in values[:SHOWN_UNITS])
    more = f", … {len(values) - SHOWN_UNITS} more" if len(values) > SHOWN_UNITS else ""
    return f"[{shown}{more}]"


def explanation_html(e: Explanation, feature_names: list[str], units: list[str],
                     class_names: list[str], nouns: tuple[str, str] = ("penguin", "species")
                     ) -> str:
    """The steps as HTML; `class_names` is [the target's name] for regression."""
    rows = "".join(
        f"<tr><td>{html.escape(n)}</td><td align=right>{r:g}&nbsp;{html.escape(u)}</td>"
        f"<td align=right>({r:g}&nbsp;−&nbsp;{m:.4g})&nbsp;/&nbsp;{s:.3g}</td>"
        f"<td align=right>=&nbsp;{x:+.3f}</td></tr>"
        for n, u, r, m, s, x in zip(feature_names, units, e.raw, e.means, e.scales,
                                    e.standardized, strict=True))
    parts = ["<h3><a href='column:0'>1. The input</a></h3>",
             "<p>The measurements, standardized with the training data's mean and spread, "
             "so every feature has a similar scale:</p>",
             f"<table cellspacing=6>{rows}</table>"]
    if e.engineered:  # computed from the standardized values: see engineered.py
        values = e.layers[0].inputs[len(e.standardized):]
        terms = "".join(f"<tr><td><i>{html.escape(term_name(t, feature_names))}</i></td>"
                        f"<td align=right>=&nbsp;{v:+.3f}</td></tr>"
                        for t, v in zip(e.engineered, values, strict=True))
        parts.append("<p>And the engineered inputs, computed from the standardized "
                     f"values:</p><table cellspacing=6>{terms}</table>")
    for k, step in enumerate(e.layers, start=2):
        n_in, n_out = len(step.inputs), len(step.weighted_sums)
        parts.append(f"<h3><a href='column:{k - 1}'>{k}. {step.name}</a> "
                     f"({n_out} neuron{'s' * (n_out != 1)})</h3>")
        if step.activation == "linear" and k == len(e.layers) + 1:  # regression's output
            parts.append(f"<p>The one output neuron adds up its {n_in} inputs, each times "
                         "its weight, plus its bias: <b>z = W·a + b</b>. It is "
                         "<b>linear</b>: no activation and no softmax, so its weighted sum "
                         "<i>is</i> the prediction, in standardized units: z = "
                         f"<code>{step.weighted_sums[0]:+.4f}</code></p>")
            continue
        parts.append(f"<p>Each neuron adds up its {n_in} inputs, each times its weight, plus "
                     "its bias: <b>z = W·a + b</b>.<br>z = "
                     f"<code>{vector_text(step.weighted_sums)}</code></p>")
        if step.activation == "softmax":
            parts.append("<p><b>Softmax</b> turns these scores into probabilities that add "
                         "up to 1: p<sub>k</sub> = e<sup>z<sub>k</sub></sup> / "
                         "Σ<sub>j</sub> e<sup>z<sub>j</sub></sup>.</p>")
        else:
            parts.append(f"<p>Then the activation <b>{step.activation}</b>: a = "
                         f"{FORMULAS.get(step.activation, step.activation)}.<br>a = "
                         f"<code>{vector_text(step.outputs)}</code></p>")
    if e.is_regression:
        parts += _regression_end(e, class_names[0], nouns[0])
        return "".join(parts)
    probs = "".join(f"<tr><td>{html.escape(c)}</td><td align=right>{100 * p:.1f} %</td></tr>"
                    for c, p in zip(class_names, e.probabilities, strict=True))
    parts.append(f"<table cellspacing=6>{probs}</table>")
    parts.append(f"<h3>{len(e.layers) + 2}. The prediction</h3><p>The most probable class: "
                 f"<b>{html.escape(class_names[e.predicted])}</b>.</p>")
    if e.true_class is not None:
        p = float(e.probabilities[e.true_class])
        truth = html.escape(class_names[e.true_class])
        verdict = "right" if e.predicted == e.true_class else "wrong"
        parts.append(f"<h3>The loss for this {nouns[0]}</h3><p>It is a <b>{truth}</b>, so the "
                     f"network is {verdict}. Cross-entropy loss = −log p({truth}) = "
                     f"−log {p:.4f} = <b>{e.loss:.4f}</b>. Training nudges every weight to "
                     f"make this smaller, averaged over all training {nouns[0]}s.</p>")
    else:
        parts.append(f"<p><i>Take a {nouns[0]} from the validation set (Prediction panel) to "
                     "see its loss as well.</i></p>")
    return "".join(parts)


def _regression_end(e: Explanation, label: str, noun: str) -> list[str]:
    """The prediction in the data's units, and the squared error of one example."""
    label = html.escape(label)
    z, mean, scale = float(e.probabilities[0]), e.target_mean, e.target_scale
    parts = [f"<h3>{len(e.layers) + 2}. The prediction</h3>"
             f"<p>The network learned the <i>standardized</i> {label}, so z goes back to the "
             f"data's units with the training data's mean ({mean:.4g}) and spread "
             f"({scale:.4g}) of the {label}:<br>"
             f"{label} = z × spread + mean = {z:+.4f} × {scale:.4g} + {mean:.4g} = "
             f"<b>{e.value:.4g}</b></p>"]
    if e.true_value is None:
        parts.append(f"<p><i>Take a {noun} from the validation set (Prediction panel) to see "
                     "its loss as well.</i></p>")
        return parts
    y = e.true_standardized
    parts.append(
        f"<h3>The loss for this {noun}</h3><p>Its true {label} is <b>{e.true_value:.4g}</b>, "
        "standardized the same way:<br>"
        f"y = ({e.true_value:.4g} − {mean:.4g}) / {scale:.4g} = {y:+.4f}<br>"
        "The loss of this one example is the <b>squared error</b> of the standardized "
        f"values:<br>(z − y)² = ({z:+.4f} − {y:+.4f})² = <b>{e.loss:.4f}</b><br>"
        f"The mean squared error averages it over the training {noun}s, and training "
        "nudges every weight to make that smaller. In the data's units this prediction is "
        f"off by {e.value - e.true_value:+.3g}.</p>")
    return parts


class ForwardExplainer(QWidget):
    """Emits `columnChosen(column)` when a step's heading is clicked (0 = the inputs)."""

    columnChosen = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("explainView")
        self.text = QTextBrowser(objectName="explainText")
        self.text.setOpenLinks(False)  # the links point into the editor, not to pages
        self.text.anchorClicked.connect(self._on_link)
        self.text.setToolTip("The forward pass for the prediction panel's input, with the "
                             "network's current weights. Click a step's title to see its "
                             "layer marked in the network.")
        self.setMinimumWidth(420)  # the input table's four columns stay on one line each
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 4, 4, 4)
        box.addWidget(self.text)
        self.explanation: Explanation | None = None
        self._shown = ""  # the HTML on display

    @Slot(QUrl)
    def _on_link(self, url: QUrl) -> None:
        if url.scheme() == "column" and url.path().isdigit():
            self.columnChosen.emit(int(url.path()))

    def show_state(self, state) -> None:
        if state.snapshot is None or state.snapshot.weights[0].shape[1] != state.spec.widths[0]:
            return
        d = state.dataset
        if d.is_regression:
            names = [d.label]
            self.explanation = explain(state.snapshot, state.split.standardizer,
                                       state.raw_input, target=state.split.target,
                                       true_value=state.true_value)
        else:
            names = list(d.class_names)
            truth = names.index(state.true_class) if state.true_class in names else None
            self.explanation = explain(state.snapshot, state.split.standardizer,
                                       state.raw_input, truth)
        html_text = explanation_html(self.explanation, [f.display or f.column for f in d.features],
                                     [f.unit for f in d.features], names, d.nouns)
        if html_text == self._shown:
            return  # the rounded numbers did not change: no new layout, no repaint
        self._shown = html_text
        bar = self.text.verticalScrollBar()
        at = bar.value()
        self.text.setHtml(html_text)
        bar.setValue(at)  # a live update must not jump the reader back to the top
