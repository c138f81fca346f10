"""Run every measurement in one process and print the table (and write JSON)."""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, replace
from functools import partial

from playground.bench import neuron_maps, redraw, scale, script_scale, startup, throughput, variants
from playground.bench.harness import close_window, open_window
from playground.bench.turns import median_round, take_turns


@dataclass(frozen=True)
class Sizes:
    epochs: int  # throughput, full batch
    epochs_batch16: int
    responsiveness_s: float
    memory_epochs: int
    memory_warmup: int
    scale_rows: int
    scale_epochs: int
    startup_repeats: int
    rounds: int  # rounds of the throughput measures (their median ratio)
    # Each round's runs take turns (turns.py), this many each; a turn should last several
    # seconds, so that starting and stopping the window's training is a small part of it.
    turns_full_batch: int
    turns_batch16: int
    turns_scale: int
    switch_s: float  # the neuron maps' cost: seconds of training switched on and off


FULL = Sizes(20_000, 10_000, 10.0, 200_000, 10_000, 1_000_000, 2, 7, 5, 2, 20, 2, 240.0)
QUICK = Sizes(1_000, 100, 2.0, 10_000, 2_000, 20_000, 1, 3, 1, 2, 2, 1, 4.0)


def run(quick: bool, log=print) -> dict:
    from playground.core.data.data_loaders import load_penguins
    from playground.core.data.split import prepare
    from playground.core.network.spec import default_spec
    from playground.core.training.config import TrainingConfig
    from playground.core.training.devices import describe_device, resolve_device

    sizes = QUICK if quick else FULL
    results: dict = {"quick": quick}
    device = resolve_device("auto")
    results["device"] = describe_device(device)
    results["cpu_device"] = "CPU"
    penguins = load_penguins()
    spec = default_spec(penguins.n_features, penguins.n_classes)
    base = TrainingConfig(device="cpu", seed=0)
    data = prepare(penguins, base.val_fraction, base.seed)

    log("Start-up…")
    results.update(startup.startup_ratio(sizes.startup_repeats))

    log("  {startup_seconds:.2f} s vs {startup_minimal_seconds:.2f} s".format(**results))
    log("Opening the window offscreen…")
    app, window = open_window()
    try:
        _window_measures(results, sizes, app, window, spec, base, data, log)
        _variants_measures(results, sizes, spec, base, data, log, app, window)
    finally:
        close_window(window)
    neuron_maps.measures(results, sizes, log)
    _scale_measures(results, sizes, log)
    results["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    return results


def _window_measures(results, sizes, app, window, spec, base, data, log) -> None:
    # Batch 16 is ten times slower an epoch (~100 s a textbook run here): fewer rounds.
    for label, batch, epochs, rounds, turns in (
            ("full_batch", 0, sizes.epochs, sizes.rounds, sizes.turns_full_batch),
            ("batch16", 16, sizes.epochs_batch16, min(sizes.rounds, 3), sizes.turns_batch16)):
        config = replace(base, batch_size=batch, epochs=epochs)
        starts = {"bare": partial(throughput.BareRun, data, spec, config, epochs),
                  "window": partial(throughput.WindowRun, app, window, spec, config),
                  "train": partial(throughput.HeadlessRun, data, spec, config)}
        rates: dict[str, list] = {name: [] for name in starts}
        for r in range(rounds):
            log(f"Throughput, {label} (round {r + 1} of {rounds}): "
                f"{' and '.join(_NAMES[n] for n in starts)} in {turns} turns each…")
            runs = {name: start() for name, start in starts.items()}
            for name, rate in take_turns(runs, epochs, turns, reverse=r % 2 == 1).items():
                rates[name].append((rate, runs[name].updates_per_second())
                                   if name == "window" else rate)
        bare, (eps, fps), ratios = median_round(rates["bare"], rates["window"])
        results[f"bare_epochs_per_second_{label}"] = bare
        results[f"window_epochs_per_second_{label}"] = eps
        results[f"throughput_ratio_{label}"] = eps / bare
        results[f"throughput_ratios_{label}"] = ratios
        results[f"updates_per_second_{label}"] = fps
        results[f"turns_{label}"] = turns
        log(f"  textbook loop {bare:,.0f} epochs/s, window {eps:,.0f} epochs/s "
            f"({eps / bare:.3f}, rounds {_listed(ratios)}), {fps:.1f} window updates/s")
        # The full-batch keys keep their names from before batch 16 had this row.
        key = "headless" if batch == 0 else f"headless_{label}"
        hbare, headless, hratios = median_round(rates["bare"], rates["train"])
        results[f"{key}_epochs_per_second"] = headless
        results[f"{key}_bare_epochs_per_second"] = hbare  # that round's textbook loop
        results[f"{key}_throughput_ratio"] = headless / hbare
        results[f"{key}_throughput_ratios"] = hratios
        log(f"  playground train {headless:,.0f} epochs/s ({headless / hbare:.3f}, "
            f"rounds {_listed(hratios)})")
    results["updates_per_second"] = results["updates_per_second_full_batch"]

    log("Responsiveness…")
    config = replace(base, epochs=100_000_000)
    results.update(throughput.responsiveness(app, window, spec, config,
                                             sizes.responsiveness_s))
    log("  lateness p50 {lateness_p50_ms:.1f} ms, p99 {lateness_p99_ms:.1f} ms, max "
        "{lateness_max_ms:.1f} ms".format(**results))
    log("Responsiveness with every see-inside view open…")
    views = throughput.responsiveness_with_views(app, window, spec, config,
                                                 sizes.responsiveness_s)
    results.update({f"views_{k}": v for k, v in views.items()})
    log("  lateness p50 {lateness_p50_ms:.1f} ms, p99 {lateness_p99_ms:.1f} ms, max "
        "{lateness_max_ms:.1f} ms".format(**views))
    log("Redraw…")
    for n in (10_000, 100_000, 1_000_000):
        results[f"redraw_ms_1e{int(math.log10(n))}"] = redraw.redraw_ms(app, window.plots, n)
    log("Time to learn…")
    results["seconds_to_97"] = throughput.time_to_learn(
        app, window, spec, replace(base, epochs=2_000, device="auto"))
    log(f"  {results['seconds_to_97']} s")
    log("Memory…")
    results["memory_growth_mb"] = throughput.memory_growth(
        app, window, spec, replace(base, epochs=sizes.memory_epochs), sizes.memory_warmup)
    log(f"  {results['memory_growth_mb']:.1f} MB")


def _variants_measures(results, sizes, spec, base, data, log, app=None, window=None) -> None:
    """K variants together against K bare loops; the window's lateness while they train."""
    quick = sizes is QUICK
    results.update(variants.throughput(data, spec, base, 200 if quick else 1000,
                                       1 if quick else 3, 2 if quick else 4, log))
    if window is not None:
        log("Responsiveness while 16 variants train…")
        results.update(variants.lateness(app, window, 4, 4, sizes.responsiveness_s))
        log("  lateness p50 {variants_lateness_p50_ms:.1f} ms, p99 {variants_lateness_p99_ms:.1f}"
            " ms, max {variants_lateness_max_ms:.1f} ms".format(**results))


def _scale_measures(results, sizes, log, window: bool = True) -> None:
    """Scale on each device. `window=False` times the `playground train` path instead of
    the window's (for a GPU machine with no Qt); the results say which it was."""
    import torch

    from playground.core.data.split import prepare

    results["scale_path"] = "window" if window else "playground train"
    results["scale_rows"] = sizes.scale_rows
    for dev in ("cpu", "cuda"):
        key = f"scale_{dev}_samples_per_second"
        if dev == "cuda" and not torch.cuda.is_available():
            results[key] = None
            results[f"scale_{dev}_ratio"] = None
            continue
        # A GPU epoch of the scale set takes a fraction of a second: time more of them.
        epochs = sizes.scale_epochs * (10 if dev == "cuda" else 1)
        log(f"Scale on {dev}: {sizes.scale_rows:,} rows, {epochs} epochs…")
        dataset, sspec, sconfig = scale.scale_setup(sizes.scale_rows, epochs, dev)
        sdata = prepare(dataset, sconfig.val_fraction, sconfig.seed)
        opened = []  # (app, window) for this data set, made when first needed

        def app_run(dataset=dataset, sspec=sspec, sconfig=sconfig, sdata=sdata,
                    opened=opened):
            if not window:
                return throughput.HeadlessRun(sdata, sspec, sconfig)
            if not opened:
                opened.extend(open_window(dataset))
            return throughput.WindowRun(*opened, sspec, sconfig)

        bares, apps = [], []
        try:
            for r in range(min(sizes.rounds, 3)):
                runs = {"bare": throughput.BareRun(sdata, sspec, sconfig, epochs),
                        "app": app_run()}
                rates = take_turns(runs, epochs, sizes.turns_scale, reverse=r % 2 == 1)
                bares.append(rates["bare"])
                apps.append(rates["app"])
        finally:
            if opened:
                close_window(opened[1])
        bare, eps, ratios = median_round(bares, apps)
        rows = len(sdata.train_y)
        results[key] = eps * rows
        results[f"scale_{dev}_epochs_per_second"] = eps
        results[f"scale_{dev}_bare_samples_per_second"] = bare * rows
        results[f"scale_{dev}_ratio"] = eps / bare
        results[f"scale_{dev}_ratios"] = ratios
        log(f"  textbook {bare * rows:,.0f} samples/s, app {eps * rows:,.0f} ({eps / bare:.3f}, "
            f"rounds {_listed(ratios)})")


_NAMES = {"bare": "textbook loop", "window": "the window", "train": "playground train"}

# Throughput against the textbook loop (baseline.py): at least this many times as fast.
TARGETS = {("window", "full_batch"): 1.2, ("window", "batch16"): 1.05,
           ("train", "full_batch"): 1.3, ("train", "batch16"): 1.15}


def _listed(ratios: list[float]) -> str:
    return " ".join(f"{v:.2f}" for v in sorted(ratios))


def run_headless(quick: bool, log=print) -> dict:
    """What needs no window: `playground train` against the textbook loop, the scale rows
    on every device, and the CPU/CUDA crossover (for machines without Qt, e.g. a GPU
    server)."""
    from playground.bench import device_choice
    from playground.core.data.data_loaders import load_penguins
    from playground.core.data.split import prepare
    from playground.core.network.spec import default_spec
    from playground.core.training.config import TrainingConfig
    from playground.core.training.devices import describe_device, resolve_device

    sizes = QUICK if quick else FULL
    results: dict = {"quick": quick, "headless": True}
    results["device"] = describe_device(resolve_device("auto"))
    penguins = load_penguins()
    spec = default_spec(penguins.n_features, penguins.n_classes)
    config = TrainingConfig(device="cpu", seed=0, epochs=sizes.epochs)
    data = prepare(penguins, config.val_fraction, config.seed)
    log("Throughput, full batch: textbook loop and playground train…")
    runs = {"bare": throughput.BareRun(data, spec, config, sizes.epochs),
            "train": throughput.HeadlessRun(data, spec, config)}
    rates = take_turns(runs, sizes.epochs, sizes.turns_full_batch)
    bare, app = rates["bare"], rates["train"]
    results.update(bare_epochs_per_second_full_batch=bare, headless_epochs_per_second=app,
                   headless_throughput_ratio=app / bare)
    _variants_measures(results, sizes, spec, config, data, log)
    _scale_measures(results, sizes, log, window=False)
    results.update(script_scale.measure(sizes.scale_rows, 1, log))
    log("CPU against CUDA…")
    results["device_choice"] = device_choice.compare(quick, log)
    results["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    return results


def headless_table(r: dict) -> str:
    from playground.bench import device_choice

    lines = [f"playground bench --headless{' --quick' if r['quick'] else ''} — {r['device']}",
             "", _row("measure", "value", "target"), "-" * 86,
             _row("throughput ratio, playground train / textbook",
                  f"{r['headless_throughput_ratio']:.3f} "
                  f"({r['headless_epochs_per_second']:,.0f} ep/s)",
                  f"≥ {TARGETS['train', 'full_batch']:.2f}",
                  r["headless_throughput_ratio"] >= TARGETS["train", "full_batch"])]
    lines += _scale_rows(r)
    lines += _script_rows(r)
    lines += ["", "Bare loop, CPU against CUDA (what automatic device choice relies on):",
              device_choice.table(r["device_choice"])]
    return "\n".join(lines)


def _fmt(v, spec: str = ".2f", unit: str = "") -> str:
    return "—" if v is None else f"{v:{spec}}{unit}"


def _row(name, value, target="", ok=None) -> str:
    mark = "" if ok is None else ("✓" if ok else "✗")
    return f"{name:<44}{value:>26}  {target:<12}{mark}"


def _scale_rows(r: dict) -> list[str]:
    lines = []
    path = "" if r.get("scale_path", "window") == "window" else " (train)"
    for dev in ("cpu", "cuda"):
        sps = r[f"scale_{dev}_samples_per_second"]
        ratio = r[f"scale_{dev}_ratio"]
        value = "—" if sps is None else f"{ratio:.3f} ({sps:,.0f} samples/s)"
        lines.append(_row(f"scale {_rows(r.get('scale_rows', 10**6))}×32, 3×256, b4096, "
                          f"{dev.upper()}{path}", value,
                          "≥ 0.90" if sps is not None else "no device",
                          None if sps is None else ratio >= 0.9))
        lines += _rounds_row(r, f"scale_{dev}_ratios")
    return lines


def _script_rows(r: dict) -> list[str]:
    """The exported script on the scale data: two torchrun processes against one."""
    if "script_torchrun_ratio" not in r:  # results from before the row existed
        return []
    ratio, two, one = (r["script_torchrun_ratio"], r["script_torchrun2_samples_per_second"],
                       r["script_single_samples_per_second"])
    value = "—" if ratio is None else f"{ratio:.3f} ({two:,.0f}/{one:,.0f} samples/s)"
    return [_row(f"script {_rows(r['script_rows'])}×32, torchrun 2 proc / 1 proc", value,
                 "≈ 1 on 2 cores")]


def _rows(n: int) -> str:
    """1,000,000 → 1M, 20,000 → 20k: the scale set's size in a row's name."""
    return f"{n // 10**6}M" if n % 10**6 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def _ratio_row(measure: str, ratio: float, ours: float, theirs: float,
               target: float) -> str:
    """A throughput ratio with both rates, against its target."""
    return _row(measure, f"{ratio:.3f} ({ours:,.0f}/{theirs:,.0f} ep/s)", f"≥ {target:.2f}",
                ratio >= target)


def _rounds_row(r: dict, key: str) -> list[str]:
    """Every round's ratio, smallest first (the row above is their median)."""
    ratios = r.get(key)
    return [_row("  its rounds (the median above)", _listed(ratios))] if ratios else []


def table(r: dict) -> str:
    """The report: measure, value, target, and whether it is met."""
    lines = [f"playground bench{' --quick' if r['quick'] else ''} — {r['device']}", "",
             _row("measure", "value", "target"), "-" * 86]
    for label, name in (("full_batch", "full batch"), ("batch16", "batch 16")):
        lines.append(_ratio_row(f"{name}: window / textbook loop",
                                r[f"throughput_ratio_{label}"],
                                r[f"window_epochs_per_second_{label}"],
                                r[f"bare_epochs_per_second_{label}"], TARGETS["window", label]))
        lines += _rounds_row(r, f"throughput_ratios_{label}")
        fps = r[f"updates_per_second_{label}"]
        lines.append(_row(f"  window updates while training, {name}", f"{fps:.1f} /s", "≥ 10",
                         fps >= 10))
        key = "headless" if label == "full_batch" else f"headless_{label}"
        if f"{key}_throughput_ratio" not in r:  # results from before batch 16 had this row
            continue
        lines.append(_ratio_row(f"{name}: playground train / textbook",
                                r[f"{key}_throughput_ratio"], r[f"{key}_epochs_per_second"],
                                r[f"{key}_bare_epochs_per_second"], TARGETS["train", label]))
        lines += _rounds_row(r, f"{key}_throughput_ratios")
    lines.append(_row("GUI timer lateness p50 / p99 / max",
                     f"{r['lateness_p50_ms']:.1f} / {r['lateness_p99_ms']:.1f} / "
                     f"{r['lateness_max_ms']:.1f} ms", "p99 < 16 ms", r["lateness_p99_ms"] < 16))
    if "views_lateness_p99_ms" in r:
        lines.append(_row("  the same with every see-inside view open",
                         f"{r['views_lateness_p50_ms']:.1f} / {r['views_lateness_p99_ms']:.1f} / "
                         f"{r['views_lateness_max_ms']:.1f} ms", "p99 < 16 ms",
                         r["views_lateness_p99_ms"] < 16))
    lines += neuron_maps.rows(r, _row)
    for k in ("1e4", "1e5", "1e6"):
        v = r[f"redraw_ms_{k}"]
        lines.append(_row(f"redraw loss plot, {k} epochs", f"{v:.1f} ms",
                         "< 16 ms" if k == "1e6" else "", v < 16 if k == "1e6" else None))
    lines.append(_row("start-up (window / minimal Qt + pyqtgraph)",
                     f"{r['startup_ratio']:.2f} ({r['startup_seconds']:.2f}/"
                     f"{r['startup_minimal_seconds']:.2f} s)", "≤ 1.3", r["startup_ratio"] <= 1.3))
    lines.append(_row("memory growth over the run", f"{r['memory_growth_mb']:.1f} MB",
                     "< 50 MB", r["memory_growth_mb"] < 50))
    lines.append(_row("time to validation accuracy ≥ 0.97", _fmt(r["seconds_to_97"], ".2f",
                                                                   " s")))
    lines += variants.rows(r, _row)
    lines += _scale_rows(r)
    return "\n".join(lines)


def write_json(results: dict, path: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=2)
