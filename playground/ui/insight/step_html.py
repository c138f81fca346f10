""""Explain this training step" as text: the forward pass of one example, its loss, the
backward pass layer by layer, and the update the optimizer makes of each weight."""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np

from playground.core.network.backprop import Backward
from playground.core.training.training_step import TrainingStep
from playground.ui.insight.forward_explainer import vector_text

SHOWN_ROWS = 8  # a layer's table lists its largest updates, and says how many more

SLOPES = {
    "relu": "1 where z &gt; 0, else 0",
    "leaky_relu": "1 where z &gt; 0, else 0.01",
    "tanh": "1 − a²",
    "sigmoid": "a·(1 − a)",
    "gelu": "Φ(z) + z·φ(z)",
    "linear": "1",
}

OPTIMIZERS = {
    "sgd": "<b>SGD</b>: step = learning rate × gradient",
    "momentum": "<b>SGD with momentum</b> 0.9: velocity v = 0.9·v + gradient, "
                "step = learning rate × v (so earlier steps carry on)",
    "adam": "<b>Adam</b>: it keeps running means of each gradient (m) and of its square (v), "
            "corrected for starting at 0; step = learning rate × m / (√v + ε): about the "
            "learning rate in size, whatever the gradient's scale",
    "adamw": "<b>AdamW</b>: as Adam, step = learning rate × m / (√v + ε), with the weight "
             "decay taken from the weight itself",
    "rmsprop": "<b>RMSprop</b>: step = learning rate × gradient / (√(running mean of "
               "gradient²) + ε)",
}


@dataclass(frozen=True)
class Names:
    """What to call things: the data set's features, the outputs, one row."""

    features: list[str]
    outputs: list[str]  # class names, or [the target's name] for regression
    noun: str  # "penguin"

    def unit(self, column: int, index: int, columns: int) -> str:
        if column == 0:
            return self.features[index]
        if column == columns - 1:
            return self.outputs[index]
        return f"h{column}.{index + 1}"


def _g(v: float) -> str:
    return f"{v:+.4g}"


def step_html(b: Backward, step: TrainingStep | None, names: Names, origin: str,
              waiting: str = "Computing the update…") -> str:
    """`origin` says where the example comes from; `waiting` stands in for the update
    while `step` has not arrived (or says why it cannot be computed)."""
    e = b.forward
    columns = len(e.layers) + 1
    parts = [f"<h3>1. The example</h3><p>{origin}</p>",
             f"<p>Standardized input x = <code>{vector_text(e.standardized)}</code></p>",
             "<h3>2. Forward pass</h3>"]
    for step_ in e.layers:
        if step_.activation in ("softmax", "linear") and step_ is e.layers[-1]:
            break
        parts.append(f"<p>{step_.name} ({step_.activation}): z = W·a + b = "
                     f"<code>{vector_text(step_.weighted_sums)}</code>, a = f(z) = "
                     f"<code>{vector_text(step_.outputs)}</code></p>")
    out = e.layers[-1]
    if e.is_regression:
        parts.append(f"<p>Output (linear): z = <code>{out.weighted_sums[0]:+.4f}</code>, the "
                     f"predicted {html.escape(names.outputs[0])} in standardized units.</p>"
                     "<h3>3. The loss</h3>"
                     f"<p>Target y = {e.true_standardized:+.4f} (standardized). Squared error "
                     f"(z − y)² = ({out.weighted_sums[0]:+.4f} − {e.true_standardized:+.4f})² "
                     f"= <b>{e.loss:.4f}</b></p>")
    else:
        probs = ", ".join(f"{html.escape(c)} {100 * p:.1f} %"
                          for c, p in zip(names.outputs, e.probabilities, strict=True))
        truth = html.escape(names.outputs[e.true_class])
        p = float(e.probabilities[e.true_class])
        parts.append(f"<p>Output: z = <code>{vector_text(out.weighted_sums)}</code>, softmax p = "
                     f"{probs}.</p><h3>3. The loss</h3><p>The target is <b>{truth}</b>: "
                     f"cross-entropy = −log p({truth}) = −log {p:.4f} = <b>{e.loss:.4f}</b></p>")
    parts += _backward_html(b, names, columns)
    parts += _update_html(step, names, columns, waiting)
    return "".join(parts)


def _backward_html(b: Backward, names: Names, columns: int) -> list[str]:
    e = b.forward
    first = ("δ = 2·(z − y)" if e.is_regression else
             "δ = p − y (y: 1 for the target class, 0 for the others)")
    parts = ["<h3>4. Backward pass</h3><p>Each neuron's <b>error term</b> δ = ∂loss/∂z says "
             "how the loss changes with its weighted sum. It starts at the output and goes "
             "back one layer at a time (the chain rule).</p>"]
    for i in range(len(b.layers) - 1, -1, -1):
        g, step_ = b.layers[i], e.layers[i]
        if i == len(b.layers) - 1:
            how = first
        else:
            how = (f"δ = (Wᵀ·δ of the layer above) ⊙ f′(z), with f′ = "
                   f"{SLOPES.get(step_.activation, step_.activation)} ({step_.activation})")
        to, frm = np.unravel_index(int(np.abs(g.weights).argmax()), g.weights.shape)
        parts.append(
            f"<p><b>{step_.name}</b>: {how}<br>δ = <code>{vector_text(g.deltas, 4)}</code><br>"
            f"∂loss/∂W = δ · aᵀ ({g.weights.size} numbers; the largest "
            f"{g.weights[to, frm]:+.4g}, {html.escape(names.unit(i, frm, columns))} → "
            f"{html.escape(names.unit(i + 1, to, columns))}), ∂loss/∂b = δ</p>")
    return parts


def _update_html(step: TrainingStep | None, names: Names, columns: int,
                 waiting: str) -> list[str]:
    parts = ["<h3>5. The update</h3>"]
    if step is None:
        return parts + [f"<p><i>{html.escape(waiting)}</i></p>"]
    decay = (f" Weight decay {step.weight_decay:g} pulls every weight towards 0 as well."
             if step.weight_decay else "")
    if step.l1:
        decay += (f" L1 {step.l1:g} is in each weight's gradient (+ {step.l1:g}·sign(w)): "
                  "the same pull towards 0 whatever the weight's size.")
    parts.append(f"<p>{OPTIMIZERS.get(step.optimizer, step.optimizer)}; learning rate "
                 f"{step.learning_rate:g}.{decay} Each weight becomes <b>new = old − step</b>. "
                 f"This is the step training takes on a batch of this one {names.noun}, from "
                 "the optimizer's current state; dropout is off for it. Taking it (Step) "
                 "does not count as an epoch.</p>")
    header = ("<tr><th align=left>connection</th><th>old</th><th>∂loss/∂w</th><th>step</th>"
              "<th>new</th></tr>")
    for k in range(len(step.old_weights)):
        rows, total = _largest(step, k, names, columns)
        shown = "".join(f"<tr><td>{html.escape(r[0])}</td><td align=right>{r[1]:+.6f}</td>"
                        f"<td align=right>{_g(r[2])}</td><td align=right>{_g(r[3])}</td>"
                        f"<td align=right>{r[4]:+.6f}</td></tr>" for r in rows)
        more = total - len(rows)
        title = "Output layer" if k == len(step.old_weights) - 1 else f"Hidden layer {k + 1}"
        parts.append(f"<p><b>{title}</b> ({total} weights and biases"
                     f"{', the largest updates' if more > 0 else ''}):</p>"
                     f"<table cellspacing=4>{header}{shown}</table>")
        if more > 0:
            parts.append(f"<p><i>… and {more} more, each moved less.</i></p>")
    return parts


def _largest(step: TrainingStep, k: int, names: Names, columns: int
             ) -> tuple[list[tuple], int]:
    """(what, old, gradient, step, new) of layer k's SHOWN_ROWS largest updates, weights
    and biases together (picked in numpy: a wide layer has a million), and how many
    weights and biases the layer has."""
    w, b = step.old_weights[k], step.old_biases[k]
    steps = np.concatenate([step.weight_steps[k].ravel(), step.bias_steps[k]])
    size = np.abs(steps)
    if len(size) > SHOWN_ROWS:  # the largest few without sorting a million
        top = np.argpartition(-size, SHOWN_ROWS - 1)[:SHOWN_ROWS]
        order = top[np.argsort(-size[top], kind="stable")]
    else:
        order = np.argsort(-size, kind="stable")
    rows = []
    for flat in order.tolist():
        if flat < w.size:
            i, j = divmod(flat, w.shape[1])
            rows.append((f"{names.unit(k, j, columns)} → {names.unit(k + 1, i, columns)}",
                         w[i, j], step.weight_gradients[k][i, j], steps[flat],
                         step.new_weights[k][i, j]))
        else:
            i = flat - w.size
            rows.append((f"bias of {names.unit(k + 1, i, columns)}", b[i],
                         step.bias_gradients[k][i], steps[flat], step.new_biases[k][i]))
    return rows, len(steps)
