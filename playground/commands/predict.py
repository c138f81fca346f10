"""`playground predict --model FILE V1 V2 ...`: classify one sample."""

from __future__ import annotations

import sys

from playground.commands.output import print_json


def run_predict(args) -> int:
    from playground.core.files.project import load_project

    project = load_project(args.model)
    prediction = project.predictor().predict(args.values)
    for warning in prediction.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"{prediction.label}")
    if prediction.value is not None:  # regression: the value is the whole answer
        if args.json:
            print_json(prediction.to_dict())
        return 0
    width = max(len(n) for n in prediction.probabilities)
    for name, p in sorted(prediction.probabilities.items(), key=lambda kv: -kv[1]):
        bar = "█" * round(p * 30)
        print(f"  {name:{width}}  {p:6.1%}  {bar}")
    if args.json:
        print_json(prediction.to_dict())
    return 0
