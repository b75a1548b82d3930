"""The one place a page draws an interactive table (st.dataframe, st.data_editor).

Streamlit's own toolbar offers *Download as CSV* (and cells can be copied) for every such table, writing
each cell as it is shown; `client.toolbarMode` does not remove it. So every text cell and column name is
shown formula-safe: text a spreadsheet would take for a formula (starting with =, +, -, @, tab or carriage
return) keeps a leading apostrophe, the rule every exported workbook follows (zi_data.base.cell_safety).
tests/pages/test_shown_tables.py fails when a page calls st.dataframe or st.data_editor directly.
"""

import pandas as pd
import streamlit as st

from zi_data.base.cell_safety import formula_safe_frame, restored_frame
from zi_data.reporting.table_fit import TABLE_WIDTH_PX, fitted_widths

SELECT_COLUMN_PX = 40


def shown_table(data, **dataframe_options):
    """st.dataframe of `data` (a DataFrame or what pd.DataFrame reads), formula-safe, without its index, its
    columns fitted to the narrowest table (table_fit.fitted_widths: no column hidden behind a sideways scroll);
    a caller's column_config adds to the widths."""
    frame = formula_safe_frame(data)
    # A selectable table spends a column on its checkboxes.
    widths, row_height = fitted_widths(frame, TABLE_WIDTH_PX - (SELECT_COLUMN_PX if "selection_mode" in
                                                                 dataframe_options else 0))
    config = {column: {"width": width} for column, width in widths.items()}
    for column, options in (dataframe_options.pop("column_config", None) or {}).items():
        options = {"label": options} if isinstance(options, str) else options
        config[column] = config.get(column, {}) | {name: value for name, value in options.items() if value is not None}
    fitted = {"width": "stretch", "column_config": config} | ({"row_height": row_height} if row_height else {})
    return st.dataframe(frame, hide_index=True, **fitted | dataframe_options)


def edited_table(frame: pd.DataFrame, **editor_options) -> pd.DataFrame:
    """st.data_editor of `frame`, shown formula-safe; the edited table is given back as typed (the apostrophes
    it was shown with removed)."""
    edited = st.data_editor(formula_safe_frame(frame), hide_index=True, **{"width": "stretch"} | editor_options)
    return restored_frame(edited)
