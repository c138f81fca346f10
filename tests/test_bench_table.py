"""The benchmark's table names the scale set by the rows it really had (Qt-free)."""

from playground.bench.run import _scale_rows


def scale_results(**extra) -> dict:
    return {"scale_path": "window", "scale_cpu_samples_per_second": 1000.0,
            "scale_cpu_ratio": 0.5, "scale_cuda_samples_per_second": None,
            "scale_cuda_ratio": None, **extra}


def test_the_scale_rows_say_how_many_rows_were_used():
    quick = _scale_rows(scale_results(scale_rows=20_000))
    assert quick[0].startswith("scale 20k×32, 3×256, b4096, CPU") and "✗" in quick[0]
    full = _scale_rows(scale_results(scale_rows=1_000_000))
    assert full[0].startswith("scale 1M×32")
    assert _scale_rows(scale_results(scale_rows=12_345))[0].startswith("scale 12345×32")
    assert _scale_rows(scale_results())[0].startswith("scale 1M×32")  # results from before
    assert "no device" in full[1]


def test_the_variants_rows_show_the_speed_up_and_the_lateness():
    from playground.bench.run import _row
    from playground.bench.variants import rows

    results = {"variants_k16_ratio": 5.0, "variants_k16_network_epochs_per_second": 10_000.0,
               "variants_k16_bare_network_epochs_per_second": 2_000.0,
               "variants_k64_ratio": 3.0, "variants_k64_network_epochs_per_second": 6_000.0,
               "variants_k64_bare_network_epochs_per_second": 2_000.0,
               "variants_lateness_k": 16, "variants_lateness_p50_ms": 1.0,
               "variants_lateness_p99_ms": 20.0, "variants_lateness_max_ms": 30.0}
    k16, k64, late = rows(results, _row)
    assert k16.startswith("variants K=16") and "5.0× (10,000/2,000" in k16 and "✓" in k16
    assert "3.0×" in k64 and "✓" not in k64 and "✗" not in k64  # no target at K=64
    assert "16 variants training" in late and "20.0" in late and "✗" in late
    assert rows({}, _row) == []  # results from before variants
