"""Chart layout decisions that must not depend on the fonts a browser happens to have loaded."""

import pandas as pd
import pytest

from zi_data import charts


@pytest.mark.parametrize("projector", [False, True], ids=["normal", "projector"])
def test_long_completion_bars_carry_their_label_inside(projector):
    """A 100 % bar's label was drawn past the axis end and was cut off when the web font came late (#8 item 11)."""
    completion = pd.DataFrame({"group": ["A", "B", "C", "D"], "rate_as_of": [1.0, 0.8, 0.79, None],
                               "rate_annual": [1.0, 0.5, 0.0, None], "done_as_of": [4, 4, 3, 0],
                               "planned_as_of": [4, 5, 4, 0], "done_annual": [4, 5, 0, 0],
                               "planned_annual": [4, 10, 8, 0]})
    figure = charts.completion_bars(completion, "Capaian per tim", projector)
    for trace in figure.data:
        positions = dict(zip(trace.y, trace.textposition))
        rates = dict(zip(trace.y, trace.x))
        for group, rate in rates.items():
            assert positions[group] == ("inside" if rate >= 80 else "outside"), (trace.name, group, rate)
        assert trace.insidetextanchor == "end" and trace.textangle == 0
    # The labels outside end at most at 79,9 % of the axis: the rest of it is room for them.
    assert figure.layout.xaxis.range[1] >= 100
