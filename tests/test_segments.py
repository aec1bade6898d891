"""The segment log of an Adam baseline trained in parts: one line per part, read back."""

from datetime import UTC, datetime

from shnn.pipeline import segments


def test_segments_are_appended_and_read_back(tmp_path):
    path = segments.segment_log_path(tmp_path / "store", "hh")
    assert path == tmp_path / "store" / "segments" / "hh.tsv"
    assert segments.read_segments(path) == []
    first = segments.here(datetime(2026, 12, 2, 19, 6, tzinfo=UTC), 40435, 60000, 1234.5678, 2)
    assert first.started_utc == "2026-12-02 19:06" and first.training_seconds == 1234.568
    assert first.cpu and first.cpu_capability and first.commit
    second = segments.Segment("2026-12-03 08:00", 60000, 180000, 9000.0, "other CPU", "AVX2",
                              2, "abc1234")
    segments.append_segment(path, first)
    segments.append_segment(path, second)
    lines = path.read_text().splitlines()
    assert lines[0].split("\t") == list(segments.COLUMNS) and len(lines) == 3  # one header
    assert segments.read_segments(path) == [first, second]


def test_a_new_segment_names_its_machine_and_contention():
    found = segments.here(datetime(2026, 12, 7, 5, 0, tzinfo=UTC), 0, 10, 1.0, 2, 0.0421)
    assert found.numpy_simd and found.blas_kernels and found.blas_threads == 2
    assert found.contention == 0.042


def test_a_log_of_the_older_columns_is_extended_and_its_lines_kept(tmp_path):
    path = segments.segment_log_path(tmp_path, "dp")
    path.parent.mkdir()
    old = ("started_utc\tfirst_step\tend_step\ttraining_seconds\tcpu\tcpu_capability\tcores\t"
           "commit\n2026-12-02 19:06\t0\t100\t12.5\tIntel(R) Xeon(R) Processor\tAVX512\t2\t"
           "7fc827c\n")
    path.write_text(old)
    [before] = segments.read_segments(path)
    assert before.contention is None and before.numpy_simd == ""
    new = segments.here(datetime(2026, 12, 7, 5, 0, tzinfo=UTC), 100, 200, 13.0, 2, 0.01)
    segments.append_segment(path, new)
    assert segments.read_segments(path) == [before, new]
    assert path.read_text().splitlines()[0].split("\t") == list(segments.COLUMNS)
