"""The workbook contract (design §3): raw sheet cells in, validated engine inputs out."""

from .sheets import RawSheet
from .validate import validate_inputs

__all__ = ["RawSheet", "validate_inputs"]
