"""portal_engine is only a faster build: without it (or with it anywhere in PLUGINS) every
output file is the same, byte for byte, and the same problems are reported."""

from __future__ import annotations

import os


from conftest import build, fresh_plugins, page, post

PARALLEL = {"PORTAL_READ_WORKERS": 2, "PORTAL_READ_PARALLEL_MIN": 1,
            "PORTAL_WRITE_WORKERS": 2, "PORTAL_WRITE_PARALLEL_MIN": 1}


def _files() -> dict:
    files = {f"tin-tuc/2022/bai-{i}.md": post(
        f"Bài số {i} về hoạt động ngoại khóa", f"2022-10-{i + 1:02d} 08:00",
        Tags="ngoại khóa, trải nghiệm", body=f"""
        Học sinh lớp 1{i % 3} tham gia "ngày hội" trải nghiệm -- hoạt động thường niên.

        #### Tiêu đề nhảy cấp {i}

        ![](/images/khong-co.jpg)
        """) for i in range(5)}
    files["thong-bao/2023/lich-hop.md"] = post("Lịch họp cha mẹ học sinh", "2023-09-10 08:00",
                                               category="Thông báo")
    files["pages/gioi-thieu.md"] = page("Giới thiệu", "gioi-thieu")
    return files


def _plugins(without=(), last=()) -> list[str]:
    from pelican.settings import read_settings

    from conftest import ROOT

    names = read_settings(os.path.join(ROOT, "pelicanconf.py"))["PLUGINS"]
    return [n for n in names if n not in without and n not in last] + list(last)


def _build(root, files, **settings):
    with fresh_plugins():
        return build(root, files, **settings)


def _tree(output: str) -> dict[str, bytes]:
    found = {}
    for base, _, names in os.walk(output):
        for name in names:
            path = os.path.join(base, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, output)] = handle.read()
    return found


def _problems(built) -> list:
    return sorted((p.file, p.field, p.line, p.message) for p in built.problems)


def test_the_site_is_the_same_without_the_engine_and_wherever_it_is_listed(tmp_path):
    files = _files()
    assert "portal_engine" in _plugins()
    engine = _build(tmp_path / "engine", files, **PARALLEL)
    bare = _build(tmp_path / "bare", files, PLUGINS=_plugins(without=["portal_engine"]),
                  **PARALLEL)
    last = _build(tmp_path / "last", files, PLUGINS=_plugins(last=["portal_engine"]), **PARALLEL)
    assert engine.ok and bare.ok and last.ok, (engine.error, bare.error, last.error)
    assert _problems(engine) == _problems(bare) == _problems(last)
    assert _problems(engine)  # the heading jumps and the missing alt are reported
    expected = _tree(engine.output)
    assert len([n for n in expected if n.endswith(".html")]) > 20
    for other in (bare, last):
        tree = _tree(other.output)
        assert sorted(tree) == sorted(expected)
        for name, data in expected.items():
            assert tree[name] == data, name


def test_without_the_engine_pelican_reads_and_writes_alone(tmp_path, monkeypatch):
    """The comparison above means something: with the engine, files are read and pages
    rendered by worker processes; without it, never."""
    from portal_engine import parallel_writer, prefetch

    calls = {"read": 0, "flush": 0}
    real_read, real_flush = prefetch.read_ahead, parallel_writer.ParallelWriter.flush

    def read_ahead(*args):
        calls["read"] += 1
        return real_read(*args)

    def flush(self):
        calls["flush"] += 1
        return real_flush(self)

    monkeypatch.setattr(prefetch, "read_ahead", read_ahead)
    monkeypatch.setattr(parallel_writer.ParallelWriter, "flush", flush)
    files = _files()
    _build(tmp_path / "engine", files, **PARALLEL)
    assert calls["read"] >= 1 and calls["flush"] == 1
    calls.update(read=0, flush=0)
    bare = _build(tmp_path / "bare", files, PLUGINS=_plugins(without=["portal_engine"]),
                  **PARALLEL)
    assert bare.ok and calls == {"read": 0, "flush": 0}
