"""The one error the VBA project writer raises for a project it will not write."""

from __future__ import annotations


class VbaProjectError(ValueError):
    """A module or name that Excel would reject or corrupt; the message names the module."""
