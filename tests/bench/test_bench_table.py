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


def test_the_neuron_map_rows_compare_maps_on_with_off():
    from playground.bench.neuron_maps import rows
    from playground.bench.run import _row

    r = {}
    for key, on, off in (("xor", 0.90, 0.92), ("spirals", 0.80, 0.90)):
        r |= {f"maps_{key}_throughput_ratio_on": on, f"maps_{key}_throughput_ratio_off": off,
              f"maps_{key}_updates_per_second_on": 10.5,
              f"maps_{key}_updates_per_second_off": 11.0, f"maps_{key}_frame_ms_on": 1.2,
              f"maps_{key}_frame_ms_off": 0.6, f"maps_{key}_lateness_p99_ms_on": 4.0,
              f"maps_{key}_lateness_p99_ms_off": 3.0}
    lines = rows(r, _row)
    assert len(lines) == 8  # results from before the half-second switching
    assert lines[0].startswith("neuron maps, XOR 2×8: window/bare on/off")
    assert "0.900 / 0.920 (-2.2 %)" in lines[0] and lines[0].endswith("✓")
    assert "0.800 / 0.900" in lines[4] and lines[4].endswith("✗")  # 11 % slower
    assert "10.5 / 11.0 /s" in lines[1] and "1.20 / 0.60 ms" in lines[2]
    assert "4.00 / 3.00 ms" in lines[3] and lines[3].endswith("✗")
    assert all(len(line) <= len(lines[0]) for line in lines)  # in the table's columns
    # Switched every half second: the lateness of both states comes from that run.
    r |= {"maps_xor_switched_ratio": 0.99, "maps_xor_switched_lateness_p99_ms_on": 3.05,
          "maps_xor_switched_lateness_p99_ms_off": 3.0}
    lines = rows(r, _row)
    assert len(lines) == 9 and "0.990" in lines[1] and lines[1].endswith("✓")
    assert "switched" in lines[4] and "3.05 / 3.00 ms" in lines[4] and lines[4].endswith("✓")
    assert all(len(line) <= len(lines[0]) for line in lines)
    r |= {"maps_xor_switched_ratio": 0.985, "maps_spirals_switched_ratio": 0.95}
    lines = rows(r, _row)
    assert len(lines) == 10
    assert "epochs/s on / off, switched every 0.5 s" in lines[1]
    assert "0.985" in lines[1] and lines[1].endswith("✓") and lines[6].endswith("✗")
    # The maps' own share of the lateness, from the same ticks: the switched comparison
    # is shown, the target judged on the share.
    r |= {"maps_xor_own_lateness_p99_ms_taken_out": 3.0, "maps_xor_own_delayed_share": 0.0123,
          "maps_spirals_own_lateness_p99_ms_taken_out": 3.0,
          "maps_spirals_own_delayed_share": 0.02, "maps_spirals_switched_lateness_p99_ms_on": 3.2,
          "maps_spirals_switched_lateness_p99_ms_off": 3.0}
    lines = rows(r, _row)
    assert len(lines) == 14
    assert "3.05 / 3.00 ms (+1.7 %)" in lines[4] and "A/A" in lines[4]
    assert not lines[4].endswith(("✓", "✗"))
    assert "without the maps' own work" in lines[5] and "3.05 / 3.00 ms (+1.7 %)" in lines[5]
    assert lines[5].endswith("✓") and "1.23 %" in lines[6]
    assert "3.20 / 3.00 ms (+6.7 %)" in lines[12] and lines[12].endswith("✗")
    assert all(len(line) <= len(lines[0]) for line in lines)
    assert rows({}, _row) == []  # results from before the maps were measured


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


def test_the_script_row_compares_two_torchrun_processes_with_one():
    from playground.bench.run import _script_rows

    r = {"script_rows": 1_000_000, "script_torchrun_ratio": 0.98,
         "script_torchrun2_samples_per_second": 49_000.0,
         "script_single_samples_per_second": 50_000.0}
    (line,) = _script_rows(r)
    assert line.startswith("script 1M×32, torchrun 2 proc / 1 proc")
    assert "0.980 (49,000/50,000 samples/s)" in line
    assert "—" in _script_rows({**r, "script_torchrun_ratio": None})[0]
    assert _script_rows({}) == []  # results from before the row existed
