"""With an app id, every request is authenticated, fast, and no token can hang or crash the bot.

Microsoft's OpenID metadata and signing keys are a local server holding a key of its own.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from domain.identity import UserIdentity
from storage.repositories import Members
from tests.support.activities import BOB
from tests.support.openid import new_key

APP_ID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
TENANT_ID = "11111111-2222-3333-4444-555555555555"


@pytest.fixture
async def secured(harness_factory, openid, db, clock):
    # Bob's email is known, so the bot needs no roster lookup (an outbound call) to serve him.
    now = clock.now()

    def known_bob(session) -> None:
        Members(session).record_seen(UserIdentity(BOB.teams_user_id, BOB.name), now)
        Members(session).save_profile(BOB.teams_user_id, "bob@contoso.example", "bob@contoso.example", now)

    harness = await harness_factory(
        MicrosoftAppId=APP_ID,
        MicrosoftAppPassword="secret",
        MicrosoftAppTenantId=TENANT_ID,
        BOT_OPENID_METADATA_URL=openid.metadata_url,
    )
    db.transaction(known_bob)
    return harness, openid


def help_with_replies(harness):
    """A message whose replies come back in the HTTP answer, so no outbound token is needed."""
    activity = harness.activities.message(BOB, "help")
    activity["deliveryMode"] = "expectReplies"
    return activity


async def post_with_token(harness, activity, token: str):
    return await harness.post(activity, headers={"Authorization": f"Bearer {token}"})


async def test_a_valid_token_is_accepted(secured):
    harness, openid = secured
    activity = help_with_replies(harness)
    response = await post_with_token(harness, activity, openid.token(APP_ID, activity["serviceUrl"]))
    assert response.status == 200, await response.text()
    [reply] = (await response.json())["activities"]
    assert reply["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive"


@pytest.mark.parametrize(
    "craft",
    [
        pytest.param(lambda o, url: o.token(APP_ID, url, headers={"kid": "no-such-key"}), id="unknown kid"),
        pytest.param(lambda o, url: o.token(APP_ID, url, headers={"kid": None}), id="no kid"),
        pytest.param(lambda o, url: o.token(APP_ID, url, drop=("iss",)), id="no iss"),
        pytest.param(
            lambda o, url: o.token(APP_ID, url, iss="https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/"),
            id="emulator issuer (whose metadata would be fetched)",
        ),
        pytest.param(lambda o, url: o.token(APP_ID, url, iss="https://evil.example"), id="foreign issuer"),
        pytest.param(lambda o, url: o.token("another-app", url), id="another app's audience"),
        pytest.param(lambda o, url: o.token(APP_ID, "https://evil.example/"), id="serviceurl claim differs"),
        pytest.param(lambda o, url: o.token(APP_ID, url, exp=1_600_000_000), id="expired"),
        pytest.param(lambda o, url: o.token(APP_ID, url, key=new_key()), id="signed by another key"),
        pytest.param(lambda o, url: "x.y.z", id="not a JWT"),
        pytest.param(lambda o, url: "e30.e30.", id="unsigned"),
        pytest.param(lambda o, url: "a." * 3_500 + "a", id="long"),
    ],
)
async def test_every_crafted_token_is_refused_with_401_and_no_detail(secured, craft):
    harness, openid = secured
    activity = help_with_replies(harness)
    response = await post_with_token(harness, activity, craft(openid, activity["serviceUrl"]))
    assert response.status == 401
    assert await response.json() == {"error": "Unauthorized", "detail": "missing or invalid Bot Framework token"}
    assert harness.connector.sent == []


async def test_requests_without_a_bearer_token_are_401(secured):
    harness, _ = secured
    for headers in (None, {"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "Bearer"}):
        response = await harness.post(help_with_replies(harness), headers=headers)
        assert response.status == 401


async def test_keys_are_fetched_once_and_reused(secured):
    harness, openid = secured
    for _ in range(3):
        activity = help_with_replies(harness)
        response = await post_with_token(harness, activity, openid.token(APP_ID, activity["serviceUrl"]))
        assert response.status == 200
    assert openid.requests == 1


async def test_metadata_that_hangs_never_holds_up_the_bot(secured):
    harness, openid = secured
    openid.hang = True
    activity = help_with_replies(harness)
    # The bot has no keys yet, so this request waits (at most 2 s) for a fetch that never answers.
    waiting = asyncio.create_task(post_with_token(harness, activity, openid.token(APP_ID, activity["serviceUrl"])))
    await asyncio.sleep(0)

    health = await harness.client.get("/healthz")
    assert health.status == 200
    assert not waiting.done(), "the bot answered /healthz while the key fetch was still hanging"

    response = await asyncio.wait_for(waiting, timeout=10)
    assert response.status == 503
    assert response.headers["Retry-After"] == "10"
    assert harness.connector.sent == []


async def test_a_rotated_key_is_fetched_once_and_then_accepted(secured, clock):
    harness, openid = secured
    activity = help_with_replies(harness)
    assert (await post_with_token(harness, activity, openid.token(APP_ID, activity["serviceUrl"]))).status == 200
    openid.key, openid.key_id = new_key(), "rotated-key"
    activity = help_with_replies(harness)
    # An unknown key id right after a fetch is refused without fetching again (no hammering)...
    refused = await post_with_token(harness, activity, openid.token(APP_ID, activity["serviceUrl"]))
    assert refused.status == 401 and openid.requests == 1
    # ...and a few minutes later it is looked for once more, found, and accepted.
    clock.advance(timedelta(minutes=6))
    activity = help_with_replies(harness)
    response = await post_with_token(harness, activity, openid.token(APP_ID, activity["serviceUrl"]))
    assert response.status == 200
    assert openid.requests == 2
