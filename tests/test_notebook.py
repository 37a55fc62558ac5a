"""The walkthrough notebook runs from top to bottom on the seeds, offline, so it never goes stale."""
from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "walkthrough.ipynb"


def outputs(nb) -> str:
    """All text and HTML the executed cells produced."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out["output_type"] == "stream":
                parts.append(out["text"])
            elif out["output_type"] in ("display_data", "execute_result"):
                parts.append(out["data"].get("text/html", "") + out["data"].get("text/plain", ""))
    return "\n".join(parts)


def test_walkthrough_executes(tmp_path, monkeypatch):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), \
        "commit the notebook without outputs (the test suite runs it)"
    monkeypatch.setenv("KG_NOTEBOOK_OUT", str(tmp_path))
    client = nbclient.NotebookClient(nb, timeout=180, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()   # raises CellExecutionError, naming the cell, if any cell fails
    text = outputs(nb)
    assert (tmp_path / "graph.ttl").is_file() and (tmp_path / "graph.html").is_file()
    assert (tmp_path / "graph.graphml").is_file()
    assert "<table>" in text and "<th>predicate</th>" in text and "<th>currency</th>" in text
    assert "<th>personLabel</th>" in text          # the canned people query ran on the embedded store
    assert "Top entities by PageRank" in text and "Communities (Louvain)" in text
    assert '<iframe srcdoc="&lt;!DOCTYPE html&gt;' in text and "vis-network" in text
    # the GraphML the notebook wrote reads back with the built graph's counts
    line = next(l for l in text.splitlines() if l.startswith("graph.graphml:"))
    nodes, edges = line.split(": ")[1].split(" (")[0].split(" nodes, ")
    assert f"(built graph: {nodes} / {edges.split()[0]})" in line
    assert not any(o.get("name") == "stderr" and "Warning" in o.get("text", "")
                   for c in nb.cells for o in c.get("outputs", [])), "the notebook prints warnings"
