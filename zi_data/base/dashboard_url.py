"""The dashboard's address as links elsewhere name it (reminders, the Rapat Monev page): the variable that
sets it, its default, and the URL keys the pages read (app_pages/frame/view.py binds its selectors to them)."""

from urllib.parse import urlencode

DASHBOARD_URL_ENV, DEFAULT_DASHBOARD_URL = "ZI_DASHBOARD_URL", "http://localhost:8501"
OFFICE_KEY, YEAR_KEY, TEAM_KEY = "kantor", "tahun", "tim"
AREA_KEY, MONTH_KEY, PROJECTOR_KEY = "area", "bulan", "proyektor"


def dashboard_link(base_url: str, team: str, scope: dict[str, str] | None = None) -> str:
    """The dashboard filtered to `team`, within `scope` (kantor=, tahun= when not the dashboard's defaults)."""
    return f"{base_url.rstrip('/')}/?{urlencode({**(scope or {}), TEAM_KEY: team})}"
