"""Engineered inputs: extra input neurons computed from the standardized features.

As in TensorFlow Playground, a network may see x², x₁·x₂ and sin x beside the
features themselves. With x₁² and x₂² the circles set becomes a straight-line
problem (a circle is x₁² + x₂² = r²), so a network without a hidden layer learns it.

A spec holds its terms explicitly, as a tuple of small tuples over feature indices:
("square", i) is xᵢ², ("product", i, j) is xᵢ·xⱼ and ("sin", i) is sin xᵢ, each of
the *standardized* feature. They are appended after the features, in order, so the
first layer's weights have one column per feature and then one per term. A saved
network therefore fixes which features its terms use, whatever the window shows.

Pure Python and numpy (no torch, no Qt): the spec validates terms with this module
before torch has loaded, and the numpy forward pass expands inputs with `expand`.
The torch module that does the same in a model is in model.py.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from playground.core.errors import SpecError

KINDS = ("square", "product", "sin")
KIND_SYMBOLS = {"square": "x²", "product": "x₁·x₂", "sin": "sin x"}
KIND_WORDS = {"square": "squares", "product": "product", "sin": "sines"}
KIND_HELP = {
    "square": "x²: the square of each numeric feature",
    "product": "x₁·x₂: the product of two features (those of the decision map)",
    "sin": "sin x: the sine of each numeric feature",
}
_ARITY = {"square": 1, "product": 2, "sin": 1}


def parse_kinds(text: str) -> tuple[str, ...]:
    """Kinds from command-line text: "square,product,sin"; "" for none."""
    kinds = [k.strip() for k in text.split(",") if k.strip()]
    for k in kinds:
        if k not in KINDS:
            raise SpecError(f"inputs: unknown kind {k!r} (choose from {', '.join(KINDS)})")
    return tuple(k for k in KINDS if k in kinds)


def numeric_features(features) -> list[int]:
    """The indices of the features that are measurements, not one-hot text columns: a
    square or a sine of a 0/1 column adds nothing the column does not say."""
    return [i for i, f in enumerate(features) if not getattr(f, "is_one_hot", False)]


def make_terms(kinds: Sequence[str], numeric: Sequence[int],
               pair: tuple[int, int] | None = None) -> tuple[tuple, ...]:
    """The terms of these kinds over the numeric features: squares, then the product of
    `pair` (default: the first two numeric features), then sines."""
    kinds = set(kinds)
    numeric = list(numeric)
    terms: list[tuple] = []
    if "square" in kinds:
        terms += [("square", i) for i in numeric]
    if "product" in kinds:
        if pair is None or pair[0] == pair[1]:
            pair = tuple(numeric[:2]) if len(numeric) >= 2 else None
        if pair is not None:
            terms.append(("product", int(pair[0]), int(pair[1])))
    if "sin" in kinds:
        terms += [("sin", i) for i in numeric]
    return tuple(terms)


def kinds_of(terms: Sequence[tuple]) -> tuple[str, ...]:
    present = {t[0] for t in terms}
    return tuple(k for k in KINDS if k in present)


def product_pair(terms: Sequence[tuple]) -> tuple[int, int] | None:
    return next(((t[1], t[2]) for t in terms if t[0] == "product"), None)


def validate_terms(terms, n_inputs: int, where: str = "engineered") -> tuple[tuple, ...]:
    """Terms as a tuple of tuples with int indices, or one SpecError naming the bad one."""
    if not isinstance(terms, list | tuple):
        raise SpecError(f"{where} must be a list of terms such as [\"square\", 0]")
    out = []
    for n, term in enumerate(terms):
        at = f"{where}[{n}]"
        if not isinstance(term, list | tuple) or not term:
            raise SpecError(f"{at} must be a list such as [\"square\", 0], not {term!r}")
        kind = term[0]
        if kind not in _ARITY:
            raise SpecError(f"{at}: unknown kind {kind!r} (choose from {', '.join(KINDS)})")
        indices = term[1:]
        if len(indices) != _ARITY[kind]:
            raise SpecError(f"{at}: {kind} takes {_ARITY[kind]} feature "
                            f"{'index' if _ARITY[kind] == 1 else 'indices'}, not {len(indices)}")
        for i in indices:
            if isinstance(i, bool) or not isinstance(i, int | float) or i != int(i):
                raise SpecError(f"{at}: feature index must be a whole number, not {i!r}")
            if not 0 <= i < n_inputs:
                raise SpecError(f"{at}: feature index {int(i)} is out of range "
                                f"(the network has {n_inputs} inputs)")
        out.append((kind, *(int(i) for i in indices)))
    if len(set(out)) != len(out):
        raise SpecError(f"{where} lists a term twice")
    return tuple(out)


# --- names for people ------------------------------------------------------------------

def term_name(term: tuple, names: Sequence[str]) -> str:
    """"bill length²", "x1·x2", "sin x1": `names` are the features' short names."""
    if term[0] == "square":
        return f"{names[term[1]]}²"
    if term[0] == "product":
        return f"{names[term[1]]}·{names[term[2]]}"
    return f"sin {names[term[1]]}"


def term_formula(term: tuple, names: Sequence[str]) -> str:
    """What the neuron computes, in words, for its tooltip."""
    a = f"standardized {names[term[1]]}"
    if term[0] == "square":
        return f"({a})²"
    if term[0] == "product":
        return f"({a}) × (standardized {names[term[2]]})"
    return f"sin({a}), in radians"


def short_names(features) -> list[str]:
    """A feature's name without its unit: the display name, or the column."""
    return [f.display or f.column for f in features]


# --- the computation --------------------------------------------------------------------

def term_indices(terms: Sequence[tuple]) -> tuple[list[int], list[int], list[bool]]:
    """Each term as (left, right, is_sin): a square is left·left, a product left·right
    and a sine sin(left), so every term of any mix is one gather, one product or sine,
    and one select — the same few operations in numpy, torch and ONNX."""
    left = [t[1] for t in terms]
    right = [t[2] if t[0] == "product" else t[1] for t in terms]
    return left, right, [t[0] == "sin" for t in terms]


def expand(x: np.ndarray, terms: Sequence[tuple]) -> np.ndarray:
    """Standardized inputs (one row, or rows × features) with the terms appended."""
    if not terms:
        return x
    x = np.asarray(x)
    left, right, is_sin = term_indices(terms)
    a = x[..., left]
    values = np.where(is_sin, np.sin(a), a * x[..., right])
    return np.concatenate([x, values.astype(x.dtype, copy=False)], axis=-1)
