"""Real-world-shaped CSV files for the import tests, written into a test's tmp_path."""

import math

import numpy as np


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def shops(tmp_path, n=60):
    """Classification: an ID column, quoted names with commas, a text category, a
    numeric label-free column with a gap, and the label last."""
    rng = np.random.default_rng(1)
    rows = ['customer_id,name,region,visits,spend,segment']
    for i in range(n):
        region = ("north", "south", "east")[i % 3]
        visits = int(rng.integers(1, 30))
        spend = "" if i == 7 else f"{visits * 12.5 + rng.normal(0, 3):.2f}"
        segment = "loyal" if visits > 15 else "casual"
        rows.append(f'{1000 + i},"Shop {i}, {region.title()} Street",{region},{visits},'
                    f'{spend},{segment}')
    return write(tmp_path / "shops.csv", "\n".join(rows) + "\n")


def houses(tmp_path, n=200):
    """Regression: the price is a number with many values."""
    rng = np.random.default_rng(2)
    rows = ["area_m2,rooms,garden,price"]
    for _ in range(n):
        area = rng.uniform(40, 200)
        rooms = int(area // 30)
        garden = rng.choice(["yes", "no"])
        price = 1500 * area + 10_000 * rooms + (20_000 if garden == "yes" else 0)
        rows.append(f"{area:.1f},{rooms},{garden},{price + rng.normal(0, 5000):.0f}")
    return write(tmp_path / "houses.csv", "\n".join(rows) + "\n")


def semicolon_cp1252(tmp_path):
    """A European spreadsheet's export: semicolons, decimal commas, cp1252 text."""
    rows = ["Größe;Gewicht;Farbe;Sorte"]
    for i in range(40):
        kind = ("Äpfel", "Birnen")[i % 2]
        colour = ("grün", "gelb", "rot")[i % 3]
        rows.append(f"{10 + i % 2 * 5 + i / 10:.1f};{100 + i % 2 * 60 + i}".replace(".", ",")
                    + f";{colour};{kind}")
    return write(tmp_path / "obst.csv", "\r\n".join(rows) + "\r\n", "cp1252")


# name, contents (bytes), words the message must hold
BAD_FILES = [
    ("empty.csv", b"", ["empty.csv", "empty"]),
    ("header_only.csv", b"a,b,y\n", ["no rows"]),
    ("numbers.csv", b"1,2,3\n4,5,6\n", ["line 1", "no header"]),
    ("single.csv", b"value\n1\n2\n3\n", ["one column"]),
    ("no_feature.csv", b"id,y\n1,p\n2,q\n3,p\n", ["no usable feature"]),
    ("one_class.csv", b"a,b,y\n1,2,p\n3,4,p\n5,6,p\n", ["only one class", "'p'"]),
    ("ragged.csv", b"a,b,y\n1,2,p\n3,4\n5,6,q\n", ["line 3", "2 fields", "3"]),
    ("binary.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", ["not a text file"]),
    ("infinite.csv", b"a,b,y\n1,2,p\n3,inf,q\n5,6,p\n", ["line 3", "'b'", "infinite"]),
    ("not_number.csv", b"a,b,y\n1,2,p\n3,4,q\n5,six,p\n", ["line 4", "'b'", "'six'"]),
]


def bad_file(tmp_path, name):
    contents = dict((n, c) for n, c, _ in BAD_FILES)[name]
    path = tmp_path / name
    path.write_bytes(contents)
    return path


def big_enough(tmp_path, rows=2000):
    """A plain numeric file, for the memory limit."""
    lines = ["a,b,c,y"] + [f"{i},{math.sin(i):.4f},{i % 7},{'pq'[i % 2]}"
                           for i in range(rows)]
    return write(tmp_path / "big.csv", "\n".join(lines) + "\n")
