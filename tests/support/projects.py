"""Project files taken apart and put back together, to make damaged or edited copies."""

import json
import zipfile

from safetensors.numpy import load as st_load
from safetensors.numpy import save as st_save

from playground.core.files.project import PROJECT_JSON, WEIGHTS


def read_members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def write_members(path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def edited(src, dst, edit_json=None, edit_arrays=None):
    """A copy of the project `src` at `dst`, its JSON and arrays changed by the callbacks."""
    members = read_members(src)
    if edit_json:
        meta = json.loads(members[PROJECT_JSON])
        edit_json(meta)
        members[PROJECT_JSON] = json.dumps(meta).encode()
    if edit_arrays:
        arrays = dict(st_load(members[WEIGHTS]))
        edit_arrays(arrays)
        members[WEIGHTS] = st_save(arrays)
    write_members(dst, members)
    return dst
