"""Rendered notebooks hold what they computed, not when: run times dropped, cell ids fixed."""

import nbformat

from shnn.pipeline import rendered


def _papermill_like(path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# a"), nbformat.v4.new_code_cell("print(1)")]
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    times = {"start_time": "2026-12-02T20:35:17", "end_time": "2026-12-02T20:35:18",
             "duration": 0.5}
    nb.metadata["papermill"] = {**times, "parameters": {"preset": "smoke"}, "version": "2.7.0"}
    for cell in nb.cells:
        cell.metadata["papermill"] = {**times, "status": "completed", "exception": False}
    nb.cells[1].metadata["execution"] = {"iopub.status.busy": "2026-12-02T20:35:17"}
    nbformat.write(nb, path)


def test_stabilize_drops_run_times_and_numbers_the_cells(tmp_path):
    path = tmp_path / "fig.ipynb"
    _papermill_like(path)
    rendered.stabilize(path)
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.papermill == {"parameters": {"preset": "smoke"}, "version": "2.7.0"}
    assert [c.id for c in nb.cells] == ["cell-0", "cell-1"]
    assert all(c.metadata.papermill == {"status": "completed", "exception": False}
               for c in nb.cells)
    assert "execution" not in nb.cells[1].metadata
    assert nb.cells[1].outputs[0].text == "1\n"
    once = path.read_bytes()
    _papermill_like(path)  # the same notebook rendered at another moment
    rendered.stabilize(path)
    assert path.read_bytes() == once


def test_the_command_needs_a_notebook(capsys):
    assert rendered.main([]) == 2 and "usage" in capsys.readouterr().err
