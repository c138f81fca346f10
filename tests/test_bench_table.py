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
