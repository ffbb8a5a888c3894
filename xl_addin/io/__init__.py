"""Reading and writing workbook files (no KPI logic here)."""
