from __future__ import annotations

import pytest

from domain.rate_limits import (
    TEAMS_CONVERSATION_WINDOWS,
    ConversationLimits,
    InFlightWindow,
    PacedRate,
    SharedBudget,
    SlidingWindows,
)


def send_all(limits: SlidingWindows, count: int, start: float = 0.0) -> list[float]:
    """Send `count` events as early as the windows allow; their times."""
    now, times = start, []
    for _ in range(count):
        now += limits.wait(now)
        limits.record(now)
        times.append(now)
    return times


def most_in(times: list[float], seconds: float) -> int:
    return max(sum(1 for t in times if end - seconds < t <= end) for end in times)


def test_teams_conversation_windows_are_all_respected():
    times = send_all(SlidingWindows(TEAMS_CONVERSATION_WINDOWS), 130)
    assert most_in(times, 1.0) == 7
    assert most_in(times, 2.0) == 8
    assert most_in(times, 30.0) == 60
    # As early as allowed: each send waited only for the window that was full.
    assert times[:7] == [0.0] * 7 and times[7] == 1.0


def test_the_hour_window():
    limits = SlidingWindows(((1800, 3600.0),))
    times = send_all(limits, 1801)
    assert times[1799] == 0.0 and times[1800] == 3600.0


def test_window_boundary_is_half_open():
    limits = SlidingWindows(((1, 1.0),))
    limits.record(10.0)
    assert limits.wait(10.5) == pytest.approx(0.5)
    assert limits.wait(11.0) == 0.0  # the event at 10.0 is outside (10.0, 11.0]


def test_conversations_are_independent_and_idle_ones_forgotten():
    limits = ConversationLimits(((1, 1.0),), max_tracked=2)
    limits.record("a", 0.0)
    assert limits.wait("a", 0.1) > 0
    assert limits.wait("b", 0.1) == 0.0
    limits.record("b", 0.1)
    limits.record("c", 0.1)  # "a" is the least recently used: forgotten
    assert limits.wait("a", 0.2) == 0.0


def test_paced_rate_spaces_requests_evenly():
    pace, now, times = PacedRate(50.0), 0.0, []
    for _ in range(100):
        now += pace.wait(now)
        pace.take(now)
        times.append(now)
    assert times[-1] == pytest.approx(99 / 50)
    assert most_in(times, 1.0) == 50


def test_throttling_pauses_halves_and_recovers():
    pace = PacedRate(40.0, recovery_after=10)
    pace.throttled(now=5.0, retry_after=3.0)
    assert pace.wait(5.0) == pytest.approx(3.0)
    assert pace.rate == 20.0
    for _ in range(10):
        pace.succeeded()
    assert pace.rate == pytest.approx(22.0)
    for _ in range(200):
        pace.succeeded()
    assert pace.rate == 40.0


def test_in_flight_window_counts_requests_until_a_second_after_their_answer():
    window = InFlightWindow(limit=2, seconds=1.0)
    window.start()
    window.start()
    assert window.wait(0.0) is None  # both in flight: wait for an answer
    window.finish(0.3)
    assert window.wait(0.3) is None or window.wait(0.3) > 0
    assert window.wait(0.3) == pytest.approx(1.0)  # the answered one counts until 1.3
    assert window.wait(1.3) == 0.0


def test_late_wake_ups_do_not_make_the_pace_drift():
    pace, now, times = PacedRate(40.0), 0.0, []
    for _ in range(400):
        now += pace.wait(now) + 0.001  # every sleep overshoots by a millisecond
        pace.take(now)
        times.append(now)
    assert times[-1] == pytest.approx(399 / 40, abs=0.01)
    assert most_in(times, 1.0) <= 41


def test_after_idleness_the_pace_starts_afresh_without_a_burst():
    pace = PacedRate(10.0)
    pace.take(0.0)
    pace.take(100.0)  # long idle
    assert pace.wait(100.0) == pytest.approx(0.1)


# --- the budget shared by replies and proactive sends ----------------------------------------


def _send(budget: SharedBudget, now: float, *, reply: bool) -> None:
    assert budget.wait(now, reply=reply) == 0
    budget.start(now, reply=reply)
    budget.finish(now)


def test_with_chat_idle_proactive_sends_may_use_the_whole_budget():
    budget = SharedBudget(50)
    for _ in range(50):
        _send(budget, 10.0, reply=False)
    assert budget.wait(10.0, reply=False) == pytest.approx(1.0)  # the 51st waits for the window


def test_proactive_sends_leave_room_for_the_replies_chat_is_about_to_send():
    budget = SharedBudget(50)
    for _ in range(10):
        _send(budget, 10.0, reply=True)
    for _ in range(38):
        _send(budget, 10.1, reply=False)
    # 48 used; room for a fifth of chat's last second kept free: replies still go, proactive not.
    assert budget.wait(10.2, reply=False) is not None and budget.wait(10.2, reply=False) > 0
    assert budget.wait(10.2, reply=True) == 0
    # Once chat's replies leave the window, the room they kept is the sender's again.
    assert budget.wait(11.05, reply=False) == 0


def test_a_waiting_reply_goes_before_any_proactive_send():
    budget = SharedBudget(50)
    budget.reply_waiting(True)
    assert budget.wait(10.0, reply=False) is None
    assert budget.wait(10.0, reply=True) == 0
    budget.reply_waiting(False)
    assert budget.wait(10.0, reply=False) == 0


def test_replies_are_never_held_back_below_the_limit_and_never_go_over_it():
    budget = SharedBudget(5)
    for _ in range(5):
        _send(budget, 10.0, reply=False)
    assert budget.wait(10.5, reply=True) == pytest.approx(0.5)


def test_replies_reported_by_other_replicas_keep_room_until_the_report_is_stale():
    budget = SharedBudget(50)
    budget.replies_elsewhere(45, 10.0, valid_for=2.0)
    for _ in range(5):
        _send(budget, 10.0, reply=False)
    assert budget.wait(10.0, reply=False) == pytest.approx(1.0)  # 5 a second while it holds
    for _ in range(50):  # stale: the whole budget again
        _send(budget, 12.0, reply=False)
