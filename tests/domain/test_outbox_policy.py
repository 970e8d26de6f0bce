from __future__ import annotations

import random
from datetime import timedelta

import pytest

from domain.outbox import MessagePayload, RetryPolicy, SendVerdict, verdict_for


@pytest.mark.parametrize(
    ("status", "verdict"),
    [
        (200, SendVerdict.SENT),
        (201, SendVerdict.SENT),
        (429, SendVerdict.THROTTLED),
        (412, SendVerdict.RETRY),
        (500, SendVerdict.RETRY),
        (502, SendVerdict.RETRY),
        (503, SendVerdict.RETRY),
        (504, SendVerdict.RETRY),
        (None, SendVerdict.RETRY),
        (403, SendVerdict.UNREACHABLE),
        (404, SendVerdict.UNREACHABLE),
        (400, SendVerdict.FAILED),
        (401, SendVerdict.FAILED),
        (413, SendVerdict.FAILED),
    ],
)
def test_what_a_status_means(status, verdict):
    assert verdict_for(status) is verdict


def test_backoff_grows_with_jitter_up_to_the_cap():
    policy = RetryPolicy(base=timedelta(seconds=2), cap=timedelta(seconds=60), rng=random.Random(1))
    for attempts, ceiling in [(1, 2), (2, 4), (3, 8), (4, 16), (10, 60)]:
        delay = policy.backoff(attempts).total_seconds()
        assert ceiling / 2 <= delay <= ceiling


def test_retry_after_wins_but_is_capped():
    policy = RetryPolicy(cap=timedelta(minutes=5))
    assert policy.throttle_delay(1, 7.0) == timedelta(seconds=7)
    assert policy.throttle_delay(1, 86_400.0) == timedelta(minutes=5)
    assert timedelta(seconds=1) <= policy.throttle_delay(1, None) <= timedelta(seconds=2)


def test_attempt_caps():
    policy = RetryPolicy(max_attempts=5)
    assert not policy.gives_up(4) and policy.gives_up(5)
    assert not policy.gives_up_throttled(19) and policy.gives_up_throttled(20)


def test_a_message_needs_text_or_a_card_and_round_trips():
    with pytest.raises(ValueError):
        MessagePayload()
    payload = MessagePayload(text="hi", card={"type": "AdaptiveCard"})
    assert MessagePayload.from_json(payload.to_json()) == payload
