"""Checks for the deployments of prefect.yaml: folders a worker can find, refused at deploy time.

A worker starts flow runs in a working folder of its own, so a relative folder would resolve
against whatever that folder is (the checkout, a temp folder); an empty one, left by an unset
NEWSCLEAN_RAW, would be resolved against it too. `prefect deploy` runs `check_folders_step` as a
build step of the deployments that name folders, and the flow refuses the same in a deployment run.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any


def deployment_folder_problem(name: str, value: str | None, variable: str | None = None) -> str | None:
    """Why `value` cannot be a deployment's folder parameter `name`, or None when it can."""
    where = f"set {variable} to an absolute path before `prefect deploy`" if variable else "pass an absolute path"
    if value is None or not str(value).strip():
        return f"the deployment's {name} folder is empty: {where}"
    if not Path(str(value)).expanduser().is_absolute():
        return (
            f"the deployment's {name} folder {value!r} is relative, and a worker runs flows in a folder "
            f"of its own: {where}"
        )
    return None


def check_folders_step(raw: str | None = None, clean: str | None = None, **_: Any) -> dict[str, str]:
    """A `prefect deploy` build step: stops the deploy, before any deployment of it is written, when a
    folder is empty or relative. It ends the process with one line and exit code 2: an exception
    raised in a step would reach the user as two of Prefect's tracebacks around the reason."""
    for name, value, variable in (("raw", raw, "NEWSCLEAN_RAW"), ("clean", clean, "NEWSCLEAN_CLEAN")):
        problem = deployment_folder_problem(name, value, variable)
        if problem:
            sys.stdout.flush()
            print(f"newsclean: error: {problem}; nothing was deployed", file=sys.stderr, flush=True)
            os._exit(2)
    return {"raw": str(raw), "clean": str(clean)}
