"""The load test's CPU split: process trees read from /proc, laid over locust's per-second history."""

import json

from bench.loadtest import cpu, summary


def fake_proc(tmp_path, processes, machine_ticks=(0, 0, 0, 0, 0, 0, 0, 0)):
    """Write /proc/<pid>/stat files: processes maps pid to (ppid, own ticks, reaped children's ticks)."""
    for pid, (ppid, own, reaped) in processes.items():
        (tmp_path / str(pid)).mkdir()
        fields = ["S", str(ppid)] + ["0"] * 9 + [str(own), "0", str(reaped), "0"] + ["0"] * 5
        (tmp_path / str(pid) / "stat").write_text(f"{pid} (python3 -m x) " + " ".join(fields) + "\n")
    (tmp_path / "stat").write_text("cpu " + " ".join(str(t) for t in machine_ticks) + "\n")
    return tmp_path


def test_a_component_counts_its_tree_and_the_children_it_reaped(tmp_path):
    # gunicorn master 10 with workers 11 and 12 (and a recycled worker reaped: 50 ticks); 20 is something else.
    proc = fake_proc(tmp_path, {10: (1, 5, 50), 11: (10, 100, 0), 12: (10, 200, 0), 20: (1, 999, 0)})
    stats = cpu.all_stats(proc)
    assert cpu.tree_seconds(10, stats) == (5 + 50 + 100 + 200) / cpu.TICKS
    assert cpu.tree_seconds(99, stats) is None
    reading = cpu.reading({"gunicorn": 10}, proc)
    assert reading["gunicorn"] == 355 / cpu.TICKS and reading[cpu.MACHINE] == 0


def test_machine_time_is_everything_but_idle_and_iowait(tmp_path):
    proc = fake_proc(tmp_path, {}, machine_ticks=(100, 1, 50, 1000, 7, 3, 4, 2))
    assert cpu.machine_seconds(proc) == 160 / cpu.TICKS


def history(rows):
    return [
        {"Timestamp": str(t), "User Count": str(users), "Name": "Aggregated", "Total Request Count": str(count)}
        for t, users, count in rows
    ]


def test_the_measured_window_starts_after_the_users_started_and_the_counters_reset():
    rows = history(
        [(100, 200, 500), (101, 400, 900), (102, 400, 20), (103, 400, 320), (112, 400, 3020), (113, 0, 3100)]
    )
    assert summary.measured_window(rows) == (102.5, 112.5, 3000)


def test_cpu_per_request_per_component(tmp_path):
    samples = [
        {"t": 100.0, "cpu": {"gunicorn": 10.0, "postgresql": 1.0, cpu.MACHINE: 20.0}},
        {"t": 110.0, "cpu": {"gunicorn": 20.0, "postgresql": 5.0, cpu.MACHINE: 40.0}},
    ]
    path = tmp_path / "cpu.jsonl"
    path.write_text("".join(json.dumps(s) + "\n" for s in samples))
    table = summary.cpu_table(cpu.load_samples(path), (100.0, 110.0, 2000))
    assert "| gunicorn | 10.0 | 1.00 | 5.00 |" in table
    assert "| postgresql | 4.0 | 0.40 | 2.00 |" in table
    assert "| other (kernel, the rest of the machine) | 6.0 | 0.60 | 3.00 |" in table
    # Halfway between two readings counts half of what was used between them.
    assert cpu.used_between(cpu.load_samples(path), 105.0, 110.0)["gunicorn"] == 5.0


def test_a_component_gone_just_before_the_window_ends_counts_up_to_its_last_reading():
    samples = [
        {"t": 100.0, "cpu": {"locust": 1.0}},
        {"t": 110.0, "cpu": {"locust": 3.0}},
        {"t": 111.0, "cpu": {"locust": None}},
    ]
    assert cpu.used_between(samples, 100.0, 110.5)["locust"] == 2.0
    assert cpu.used_between(samples, 100.0, 115.0)["locust"] is None
