"""The Learn panel's lessons: one short explanation per concept, each pointing at the
place in the window where it can be seen and touched.

`targets` are widget object names (shell-style patterns: "featureInput:*" is every
feature's input). `text` speaks of the data set in the window ({rows}: penguins,
or samples) and `now` is a line about the network as it is right now; both are
filled from facts the window supplies (see `facts` in ui/learn_panel.py).
"""

from __future__ import annotations

import html
from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    key: str
    title: str
    text: str  # simple HTML
    targets: tuple[str, ...]
    now: str = ""  # a str.format template over the window's facts

    def now_text(self, facts: dict) -> str:
        try:
            return self.now.format(**facts)
        except (KeyError, ValueError, IndexError):  # a fact not known yet (no network)
            return ""

    def text_for(self, facts: dict) -> str:
        """The explanation in the words of the data set the facts describe."""
        return self.text.format(**{**PENGUIN_WORDS, **facts})


# The lessons' words for the built-in data set (and when no window supplies others).
PENGUIN_WORDS = {
    "row": "penguin", "rows": "penguins", "label_noun": "species", "class_noun": "species",
    "classes": "species", "feature_names": "bill length, bill depth, flipper length and body mass",
    "feature_count": 4, "inputs_note": "",
}
LISTED_FEATURES = 6  # more are summed up as "and N more"


def words_for(dataset) -> dict:
    """The lessons' words for a data set: what one row is called, its features, what its
    label and classes are. A regression set's lessons still explain classes (their
    "now" lines say where regression differs)."""
    row, label = (html.escape(word) for word in dataset.nouns)  # the texts are HTML
    names: list[str] = []
    for f in dataset.features:  # a one-hot group is one feature to a person
        name = f.group or (f.display[:1].lower() + f.display[1:] if f.display else f.column)
        if html.escape(name) not in names:
            names.append(html.escape(name))
    count = len(names)
    inputs_note = "" if count == dataset.n_features else (
        f" ({dataset.n_features} input neurons: a text feature has one per category)")
    if len(names) > LISTED_FEATURES:
        names = names[:LISTED_FEATURES - 1] + [f"{len(names) - LISTED_FEATURES + 1} more"]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    class_noun = "class" if dataset.is_regression else label
    return {"row": row, "rows": f"{row}s", "label_noun": label, "class_noun": class_noun,
            "classes": "species" if class_noun == "species" else "classes",
            "feature_names": listed, "feature_count": count, "inputs_note": inputs_note}


LESSONS = (
    Lesson("features", "Features and labels",
           "Each {row} is described by a few numbers, its <b>features</b>: {feature_names}. "
           "The <b>label</b> is what we want the network to tell from them: the "
           "{label_noun}. Training shows the network many {rows} whose label we know; "
           "afterwards it can guess the label of a {row} it has never seen. Change a "
           "feature's value and watch the prediction follow.",
           ("featureInput:*",),
           "This data set has {feature_count} features{inputs_note} and {label_text}."),
    Lesson("weights", "Weights and biases",
           "Every connection has a <b>weight</b>: how strongly, and in which direction, one "
           "neuron's output pushes the next. Blue lines are positive weights, orange "
           "negative; thicker means larger. Every neuron also has a <b>bias</b>, a number "
           "added on its own. Learning means finding good values for all of them. Hover "
           "a line or a neuron to read its numbers.",
           ("networkView",),
           "This network has {parameters:,} weights and biases."),
    Lesson("activations", "Activation functions",
           "A neuron adds up its weighted inputs and its bias, z = w·x + b, then passes z "
           "through an <b>activation function</b>. Without one, any stack of layers would "
           "collapse into a single straight-line model. <b>ReLU</b> keeps positive z and "
           "turns negatives into 0; <b>tanh</b> and <b>sigmoid</b> squash z into a range. "
           "Choose a layer's activation on its card above the network.",
           ("activationInput:*",)),
    Lesson("layers", "Fully connected layers",
           "A <b>fully connected</b> (dense) layer joins every neuron of one column to every "
           "neuron of the next, so each hidden neuron can combine all features in its own "
           "way. More neurons or more layers let the network draw more complicated "
           "boundaries between the {classes}, at the price of more weights to learn. Add, "
           "remove and widen layers with the buttons and the cards.",
           ("addLayerButton", "removeLayerButton", "layerCard:*"),
           "Now: {layers} hidden layer(s)."),
    Lesson("engineered", "Engineered inputs: x², x₁·x₂, sin x",
           "A network without hidden layers can only draw straight boundaries: each output "
           "adds up its inputs, each times a weight. <b>Engineered inputs</b> are extra input "
           "neurons computed from the features: their squares (x²), the product of two "
           "(x₁·x₂) and their sines (sin x), of the standardized values. A boundary that is "
           "straight in these new inputs can be curved in the features. The circles data set "
           "shows it best: a circle is x₁² + x₂² = r², so with x₁² and x₂² as inputs a "
           "network with <b>no hidden layer</b> separates the two rings, which without them "
           "it cannot. Switch them on with the <i>x², sin…</i> button beside <i>Inputs</i>; "
           "the decision map's two features are the ones a new x₁·x₂ multiplies.",
           ("inputsHeader",),
           "{engineered_text}"),
    Lesson("softmax", "Softmax: scores become probabilities",
           "The output layer gives one score per {class_noun}. <b>Softmax</b> turns the "
           "scores into probabilities: each is e to the power of its score, divided by the "
           "sum of all of them, so they are positive and add up to 100 %. The predicted "
           "{class_noun} is the most probable one.",
           ("probability:*", "predictedLabel"),
           "{softmax_text}"),
    Lesson("loss", "Loss: how wrong the network is",
           "The <b>loss</b> measures how far the predictions are from the truth. For "
           "classification it is the <b>cross-entropy</b>: −log of the probability the "
           "network gave the true {class_noun}, averaged over {rows}. A confident right answer "
           "costs almost 0; a confident wrong one costs a lot. Training makes this curve go "
           "down.",
           ("lossPlot",),
           "{loss_text}At epoch {epoch:,} the validation loss is {val_loss}."),
    Lesson("gradient", "Gradient descent and backpropagation",
           "<b>Backpropagation</b> works out, for every weight, how the loss would change if "
           "that weight changed a little: the <b>gradient</b>. <b>Gradient descent</b> then "
           "moves every weight a small step downhill, against its gradient. The "
           "<b>learning rate</b> sets the step size: too small and learning crawls, too "
           "large and the loss jumps about or explodes. The optimizer decides how the "
           "gradient becomes a step (Adam adapts it per weight). View ▸ Explain this "
           "training step works it all out for one {row}, and takes that one step.",
           ("learningRateInput", "optimizerInput"),
           "The learning rate is {learning_rate:g}."),
    Lesson("epochs", "Epochs",
           "One <b>epoch</b> is one pass over all the training {rows}. Networks need many "
           "epochs: each pass nudges the weights a little. Press Step to train exactly one "
           "epoch and watch the weights and the curves move; Train runs epoch after epoch.",
           ("stepButton", "trainButton", "epochLabel"),
           "Trained so far: {epoch:,} epochs."),
    Lesson("batches", "Batches",
           "The gradient can be computed on all training {rows} at once (one step per "
           "epoch) or on small <b>batches</b> of them (many smaller, noisier steps per "
           "epoch). Small batches often learn in fewer epochs, and they are how networks "
           "train on data too big to look at all at once.",
           ("batchSizeInput",),
           "{batch_text}"),
    Lesson("validation", "Training versus validation data",
           "Some {rows} are held back and never used to change the weights: the "
           "<b>validation</b> set. If the network does well on the training {rows} but "
           "worse on these, it has memorised instead of learned (<b>overfitting</b>). "
           "Compare the two curves; early stopping pauses when the validation loss stops "
           "improving.",
           ("accuracyPlot", "valFractionInput", "patienceInput"),
           "{n_train} {rows} train the network; {n_val} check it."),
    Lesson("variants", "Same network, another start: seeds and learning rates",
           "Train the same network again with another <b>seed</b> and it ends somewhere "
           "else. The seed draws the starting weights, the order the {rows} are shuffled "
           "in and the dropout masks; the loss has many valleys, and where the descent "
           "starts decides which one it rolls into. The <b>learning rate</b> changes the "
           "path too: small steps creep down the slope nearest the start, large ones jump "
           "across narrow valleys or bounce out of them. Training ▸ Train variants… trains "
           "up to 64 variants of this network side by side, on the same {rows}, and "
           "overlays their validation curves: the spread is what chance and the step size "
           "alone do. Continue with the one you like.",
           ("seedInput", "learningRateInput"),
           "{variants_text}"),
    Lesson("gpu", "Why a GPU helps",
           "Training is mostly multiplying large tables of numbers. A <b>GPU</b> does "
           "thousands of these multiplications at once, so big networks on big data train "
           "many times faster. But each step also has a fixed cost to start work on the "
           "GPU: a network as small as this one trains faster on the CPU, which is why "
           "'automatic' picks the CPU for it.",
           ("deviceInput", "deviceLabel"),
           "Training runs on: {device}."),
)
