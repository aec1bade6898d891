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
