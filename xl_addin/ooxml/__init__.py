"""Excel package surgery: put generated sheets into a user workbook, touching nothing else."""
