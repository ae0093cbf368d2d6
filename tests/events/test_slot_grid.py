"""An organizer's day settings turn into the right meeting slots."""

from datetime import UTC, date, datetime, time

import pytest

from app.events.slot_grid import BreakWindow, DayWindow, generate_slot_grid

WEDNESDAY = date(2025, 10, 8)
FRIDAY = date(2025, 10, 10)


def local_starts(grid, zone="Asia/Jakarta"):
    from zoneinfo import ZoneInfo

    return [s.starts_at.astimezone(ZoneInfo(zone)).strftime("%d %H:%M") for s in grid]


def test_slots_fill_the_window_back_to_back():
    grid = generate_slot_grid([DayWindow(WEDNESDAY, time(9), time(10))], 20, 0, [], "Asia/Jakarta")
    assert local_starts(grid) == ["08 09:00", "08 09:20", "08 09:40"]


def test_slots_are_stored_in_utc_from_wib():
    grid = generate_slot_grid([DayWindow(WEDNESDAY, time(9), time(9, 20))], 20, 0, [], "Asia/Jakarta")
    assert grid[0].starts_at == datetime(2025, 10, 8, 2, 0, tzinfo=UTC)
    assert grid[0].ends_at == datetime(2025, 10, 8, 2, 20, tzinfo=UTC)


def test_the_gap_separates_slots_and_a_last_short_slot_is_dropped():
    grid = generate_slot_grid([DayWindow(WEDNESDAY, time(9), time(10))], 20, 5, [], "Asia/Jakarta")
    assert local_starts(grid) == ["08 09:00", "08 09:25"]  # 09:50 would end at 10:10, past the window


def test_meetings_resume_right_after_the_dzuhur_break():
    dzuhur = BreakWindow(time(11, 45), time(12, 30))
    grid = generate_slot_grid([DayWindow(WEDNESDAY, time(11), time(13))], 20, 0, [dzuhur], "Asia/Jakarta")
    assert local_starts(grid) == ["08 11:00", "08 11:20", "08 12:30"]


def test_friday_prayers_apply_on_fridays_only():
    jumat = BreakWindow(time(11, 30), time(13), fridays_only=True)
    days = [DayWindow(WEDNESDAY, time(11), time(13)), DayWindow(FRIDAY, time(11), time(13))]
    grid = generate_slot_grid(days, 30, 0, [jumat], "Asia/Jakarta")
    assert local_starts(grid) == ["08 11:00", "08 11:30", "08 12:00", "08 12:30", "10 11:00"]


def test_a_break_on_one_date_leaves_other_days_alone():
    plenary = BreakWindow(time(9), time(10), date=WEDNESDAY)
    days = [DayWindow(WEDNESDAY, time(9), time(11)), DayWindow(date(2025, 10, 9), time(9), time(10))]
    grid = generate_slot_grid(days, 30, 0, [plenary], "Asia/Jakarta")
    assert local_starts(grid) == ["08 10:00", "08 10:30", "09 09:00", "09 09:30"]


def test_days_come_out_in_date_order_with_morning_and_afternoon_sessions():
    days = [DayWindow(date(2025, 10, 9), time(11, 40), time(12, 20)), DayWindow(WEDNESDAY, time(9), time(9, 20))]
    grid = generate_slot_grid(days, 20, 0, [], "Asia/Jakarta")
    assert [(s.day, s.session) for s in grid] == [
        (WEDNESDAY, "am"),
        (date(2025, 10, 9), "am"),
        (date(2025, 10, 9), "pm"),
    ]


def test_an_event_in_makassar_keeps_local_wita_hours():
    grid = generate_slot_grid([DayWindow(WEDNESDAY, time(8), time(8, 20))], 20, 0, [], "Asia/Makassar")
    assert grid[0].starts_at == datetime(2025, 10, 8, 0, 0, tzinfo=UTC)
    assert local_starts(grid, "Asia/Makassar") == ["08 08:00"]


@pytest.mark.parametrize(("slot", "gap"), [(0, 0), (-5, 0), (20, -1)])
def test_impossible_lengths_are_refused(slot, gap):
    with pytest.raises(ValueError):
        generate_slot_grid([DayWindow(WEDNESDAY, time(9), time(10))], slot, gap, [], "Asia/Jakarta")
