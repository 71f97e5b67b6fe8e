"""Loaders: files -> records. Curricula (YAML, cached), grade sheets (CSV and
workbooks, recognised by their content), every problem with its position."""
