"""The monev revision the pages' caches are keyed by: it changes with every meeting, follow-up and closure."""

from datetime import date

from zi_data.monev import monev
from zi_data.store.accounts import User


def test_the_revision_changes_with_every_write(store_on_each_backend):
    store = store_on_each_backend
    seen = [monev.revision(store)]
    meeting_id = monev.record_meeting(store, held_on=date(2025, 3, 14), kind="triwulan", chair="Ketua",
                                      participants="Ani", participant_count=None, as_of_month=3, notes="", by="uji")
    seen.append(monev.revision(store))
    follow_up_id = monev.add_follow_up(store, action="Lengkapi SK", team="Tim Pengawasan", due_on=date(2025, 4, 30),
                                       item_id=None, by="uji", meeting_id=meeting_id)
    seen.append(monev.revision(store))
    monev.close_follow_up(store, follow_up_id, "Selesai", User("koordinator", "admin", "", store.office))
    seen.append(monev.revision(store))
    assert len(set(seen)) == 4 and seen[0] == (0, 0, 0)
