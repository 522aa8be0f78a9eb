"""Catalog import and export (事项清单导入导出) in the format of docs/catalog-format.md, as JSON or XLSX.

Import checks the whole file first and reports every bad row; only a clean file is written, in one
transaction. The parts, each in the module named for it:

- format.py      the file format: its version, sections and the keys of each section
- problems.py    CatalogFileInvalid, and where a problem is (a JSON path or a sheet row)
- rows.py        one entry of the file as an unsaved row, its fields checked by the model
- validation/    the checks, one module per section: departments, service_points (with halls),
                 items (fields, references, handling modes), materials_and_steps, themes
- writing.py     import_catalog (the public service) and write_catalog (the same act, composed inside a
                 caller's transaction): a validated file written in one transaction, audited; ImportReport
- export.py      export_catalog: the published catalog in the import format
- xlsx.py        the same data as a workbook (one sheet per table) and back
- files.py       .json and .xlsx files on disk: import_file, export_file
- sections.py    the seam for apps above the catalog: a registered Section (e.g. the forms' data_elements and
                 forms) is validated, written, exported and given sheets with the catalog's own
"""

from onewindow.catalog.importexport.export import export_catalog
from onewindow.catalog.importexport.files import check_suffix, export_file, import_file
from onewindow.catalog.importexport.problems import CatalogFileInvalid
from onewindow.catalog.importexport.writing import ImportReport, import_catalog, write_catalog
from onewindow.catalog.importexport.xlsx import catalog_to_xlsx, xlsx_to_catalog

__all__ = [
    "CatalogFileInvalid",
    "ImportReport",
    "catalog_to_xlsx",
    "check_suffix",
    "export_catalog",
    "export_file",
    "import_catalog",
    "import_file",
    "write_catalog",
    "xlsx_to_catalog",
]
