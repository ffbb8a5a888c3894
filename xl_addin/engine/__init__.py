"""The KPI engine: pure pandas/numpy, no Excel library anywhere below this folder."""

from .models import Inputs, KpiWarning, Results, Settings
from .pipeline import compute
from .rag import direction, rag

__all__ = ["Inputs", "KpiWarning", "Results", "Settings", "compute", "direction", "rag"]
