"""The deployments' folder check: what a worker could not resolve the same way is refused."""

from __future__ import annotations

import pytest

from flows.deployment import deployment_folder_problem


@pytest.mark.parametrize("value", [None, "", "  "])
def test_an_empty_folder_is_refused_naming_the_variable(value):
    problem = deployment_folder_problem("raw", value, "NEWSCLEAN_RAW")
    assert problem and "empty" in problem and "NEWSCLEAN_RAW" in problem


@pytest.mark.parametrize("value", ["raw", "./clean", "data/raw"])
def test_a_relative_folder_is_refused(value):
    problem = deployment_folder_problem("clean", value)
    assert problem and "relative" in problem and "absolute path" in problem


@pytest.mark.parametrize("value", ["/srv/raw", "~/corpus/raw"])
def test_an_absolute_folder_passes(value):
    assert deployment_folder_problem("raw", value, "NEWSCLEAN_RAW") is None
