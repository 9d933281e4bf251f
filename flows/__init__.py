"""Orchestration of the cleaning library with Prefect: flows, the CLI, and output writing."""
