"""xl_addin: refresh a children's services performance workbook in one click.

Python API::

    import xl_addin
    inputs = xl_addin.read_inputs("performance.xlsx")
    results = xl_addin.compute(inputs)            # or compute(inputs, reporting_month="2022-09")
    results.scorecard                              # one row per measure, with RAG and direction
    xl_addin.rag(0.80, 0.82)                       # 'Amber'
    xl_addin.refresh("performance.xlsx")           # what the Refresh button does
    xl_addin.spc([20, 24, 20, ...], "up", target=30)  # Making Data Count: .variation, .assurance
"""

from .engine import Inputs, Results, Settings, compute, direction, rag
from .engine.explain import explain
from .errors import InputError, Problem
from .io.read import read_inputs
from .process_control import spc
from .refresh_book import refresh

__version__ = "0.1.0"

__all__ = [
    "InputError",
    "Inputs",
    "Problem",
    "Results",
    "Settings",
    "compute",
    "direction",
    "explain",
    "rag",
    "read_inputs",
    "refresh",
    "spc",
]
