"""Spreadsheets: the offline questionnaire workbook (download, fill in, upload) and XLSX copies of
the coordinator's tables."""
