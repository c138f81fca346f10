"""`playground export --model FILE --format onnx|safetensors|script --out PATH`."""

from __future__ import annotations


def run_export(args) -> int:
    from playground.core.files.project import load_project

    project = load_project(args.model)
    if args.format == "onnx":
        from playground.core.files.export_onnx import export_onnx

        written = [export_onnx(project, args.out)]
    elif args.format == "safetensors":
        from playground.core.files.export_weights import export_weights

        written = list(export_weights(project, args.out))
    else:
        from playground.core.files.export_script import export_script

        written = list(export_script(project, args.out, project_path=args.model))
    for path in written:
        print(f"Wrote {path}")
    if args.format == "script":
        print(f"Run it with: cd {written[0].parent} && python train.py "
              "(or torchrun --nproc_per_node=N train.py); it writes trained.pgproj, "
              "which the playground opens")
    return 0
