"""The CSV files of a bundle: long and wide item values, the data dictionary, the spreadsheet-safe dialect."""
