"""The HTTP edge: every bad request gets a clear 4xx, never a 500."""

from __future__ import annotations

import json

import pytest

from storage.migrations import head_revision
from tests.support.activities import BOB


async def raw_post(harness, body: bytes, content_type: str = "application/json", headers=None):
    return await harness.client.post(
        "/api/messages", data=body, headers={"Content-Type": content_type, **(headers or {})}
    )


async def test_wrong_content_type_is_415(harness):
    response = await raw_post(harness, b"help", content_type="text/plain")
    assert response.status == 415
    assert (await response.json())["error"] == "Unsupported Media Type"


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"\xff\xfe", b"[1, 2, 3]", b'"a string"', b"null", b"{}", b'{"type": "message"}'],
    ids=["malformed", "not-utf8", "array", "string", "null", "empty-object", "no-conversation"],
)
async def test_malformed_bodies_are_400(harness, body):
    response = await raw_post(harness, body)
    assert response.status == 400, await response.text()
    assert (await response.json())["detail"]


@pytest.mark.parametrize(
    ("mutate", "status"),
    [
        (lambda a: a.update(type=5), 400),
        (lambda a: a.update(type=""), 400),
        (lambda a: a.update(serviceUrl="ftp://example.com"), 400),
        (lambda a: a.update(serviceUrl=None), 400),
        (lambda a: a.update(conversation="nope"), 400),
        (lambda a: a.update(conversation={"id": ""}), 400),
        (lambda a: a.update(entities="oops"), 400),
        # Parses, but carries no tenant (channelData is not an object, conversation has no
        # tenantId): refused politely by the tenant gate.
        (lambda a: a.update(channelData=[1, 2], conversation={"id": a["conversation"]["id"]}), 200),
        # Parses; a member without an id is not the bot, so nothing happens.
        (lambda a: a.update(membersAdded=[{"no": "id"}], type="conversationUpdate"), 200),
    ],
    ids=[
        "numeric-type",
        "empty-type",
        "bad-scheme",
        "no-service-url",
        "conversation-string",
        "empty-conversation-id",
        "entities-string",
        "channel-data-list",
        "member-without-id",
    ],
)
async def test_activities_that_do_not_parse_are_rejected_without_a_crash(harness, mutate, status):
    activity = harness.activities.message(BOB, "help")
    mutate(activity)
    response = await raw_post(harness, json.dumps(activity).encode())
    assert response.status == status, await response.text()
    assert not any(sent.cards for sent in harness.connector.sent)
    # The app still works afterwards.
    assert (await harness.post(harness.activities.message(BOB, "help"))).status == 200


async def test_body_over_256_kb_is_413(harness):
    activity = harness.activities.message(BOB, "x" * (300 * 1024))
    response = await raw_post(harness, json.dumps(activity).encode())
    assert response.status == 413


async def test_chunked_body_over_256_kb_is_413(harness):
    activity = json.dumps(harness.activities.message(BOB, "x" * (300 * 1024))).encode()

    async def chunks():
        for start in range(0, len(activity), 16 * 1024):
            yield activity[start : start + 16 * 1024]

    response = await harness.client.post("/api/messages", data=chunks(), headers={"Content-Type": "application/json"})
    assert response.status == 413


async def test_malformed_bearer_token_in_anonymous_mode_is_401(harness):
    response = await harness.post(harness.activities.message(BOB, "help"), headers={"Authorization": "Bearer x"})
    assert response.status == 401
    assert harness.connector.sent == []


async def test_anonymous_mode_only_talks_to_a_loopback_service_url(harness):
    activity = harness.activities.message(BOB, "help")
    activity["serviceUrl"] = "https://smba.trafficmanager.net/emea/"
    response = await harness.post(activity)
    assert response.status == 400
    assert "loopback" in (await response.json())["detail"]


async def test_with_an_app_id_a_request_without_a_token_is_401(harness_factory):
    harness = await harness_factory(
        MicrosoftAppId="3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        MicrosoftAppPassword="secret",
        MicrosoftAppTenantId="11111111-2222-3333-4444-555555555555",
    )
    response = await harness.post(harness.activities.message(BOB, "help"))
    assert response.status == 401
    bad_token = await harness.post(harness.activities.message(BOB, "help"), headers={"Authorization": "Bearer x.y.z"})
    assert bad_token.status == 401
    assert harness.connector.sent == []


async def test_expect_replies_answers_200_with_the_replies_in_the_body(harness):
    activity = harness.activities.message(BOB, "help")
    activity["deliveryMode"] = "expectReplies"

    response = await harness.post(activity)

    assert response.status == 200
    body = await response.json()
    [reply] = body["activities"]
    assert reply["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert harness.connector.sent == []  # buffered into the HTTP answer instead


async def test_get_on_messages_is_405(harness):
    response = await harness.client.get("/api/messages")
    assert response.status == 405


async def test_healthz_reports_database_and_version(harness):
    response = await harness.client.get("/healthz")
    assert response.status == 200
    body = await response.json()
    assert body["status"] == "ok"
    assert body["version"] == "0.1.0"
    assert body["database"]["reachable"] is True
    assert body["database"]["schema_revision"] == head_revision()
