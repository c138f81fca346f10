"""The command line run in this process, and what its output must look like."""

import json

from playground.cli import main


def run(capsys, *argv):
    """main() in this process: (exit status, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def last_json(out: str) -> dict:
    line = out.rstrip("\n").splitlines()[-1]
    value = json.loads(line)
    assert isinstance(value, dict)
    return value


def assert_usage_error(code, out, err, *words):
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("playground: error: ")
    assert "Traceback" not in err and "Traceback" not in out
    for word in words:
        assert word in lines[0], (word, lines[0])
