"""A day "after today" is after today everywhere: a mediator east of UTC, just after their midnight,
records their own today."""

import datetime as dt

from accord.domain.as_of import dated_after, today_somewhere


def test_today_is_the_latest_day_begun_anywhere() -> None:
    # 21:00 UTC on 2 December is already 3 December from UTC+3 eastwards
    assert today_somewhere("2026-12-02T21:00:00.123456+00:00") == dt.date(2026, 12, 3)
    # 09:59 UTC: 23:59 in UTC+14, still 2 December everywhere; 10:00 UTC begins 3 December at UTC+14
    assert today_somewhere("2026-12-02T09:59:59+00:00") == dt.date(2026, 12, 2)
    assert today_somewhere("2026-12-02T10:00:00+00:00") == dt.date(2026, 12, 3)


def test_a_day_not_yet_begun_anywhere_is_refused_with_the_option_and_the_reason() -> None:
    now = "2026-12-02T21:00:00+00:00"
    assert dated_after(dt.date(2026, 12, 3), now, "--date", "why") is None  # Moscow's today
    assert dated_after(dt.date(2026, 12, 4), now, "--date", "record it once it has happened") == (
        "--date: 2026-12-04 is after today; record it once it has happened"
    )
