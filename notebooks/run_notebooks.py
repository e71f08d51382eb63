"""Executes the notebooks headless, as CI does: python3 run_notebooks.py [NOTEBOOK ...] (default: all).
Executed copies, with their outputs, go to $TICKFLOW_NOTEBOOK_OUT (default: output/), next to the charts
they save. Exits 1 if any cell of any notebook fails, after printing which and why."""

import os
import pathlib
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

HERE = pathlib.Path(__file__).resolve().parent


def main(names):
    out = pathlib.Path(os.environ.get("TICKFLOW_NOTEBOOK_OUT", HERE / "output")).resolve()
    os.environ["TICKFLOW_NOTEBOOK_OUT"] = str(out)  # the kernels save their charts there too
    out.mkdir(parents=True, exist_ok=True)
    names = names or sorted(p.name for p in HERE.glob("*.ipynb"))
    failed = []
    for name in names:
        notebook = nbformat.read(HERE / name, as_version=4)
        client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                                resources={"metadata": {"path": str(HERE)}})
        try:
            client.execute()
            print(f"ok      {name}", flush=True)
        except CellExecutionError as e:
            failed.append(name)
            print(f"FAILED  {name}\n{str(e)[-3000:]}", flush=True)
        nbformat.write(notebook, out / name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
