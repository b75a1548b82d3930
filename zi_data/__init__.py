"""ZI Monitor's data layer: plain functions over pandas DataFrames, no Streamlit."""

from .plan.plan import PLAN_COLUMNS, read_plan
from .base.problems import InputError, PlanError, Problem

__all__ = ["PLAN_COLUMNS", "InputError", "PlanError", "Problem", "read_plan"]
