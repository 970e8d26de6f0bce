"""Bad input at the HTTP edge gets a clear 4xx, and odd-but-parseable activities never fail a turn."""

from __future__ import annotations

import gzip
import json
import logging

import pytest

from tests.support.activities import BOB

JSON = {"content-type": "application/json"}


def failures(caplog) -> list[str]:
    """Errors and tracebacks logged during the request: there must be none."""
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR or record.exc_info]


async def post_raw(harness, body: bytes | str, headers: dict[str, str] | None = None):
    return await harness.client.post("/api/messages", data=body, headers={**JSON, **(headers or {})})


@pytest.mark.parametrize(
    ("build", "status"),
    [
        pytest.param(
            lambda a: '{"type":"message","value":' + "[" * 1000 + "]" * 1000 + "}", 400, id="nested 1,000 deep"
        ),
        pytest.param(
            lambda a: '{"type":"message","value":' + "[" * 100_000 + "]" * 100_000 + "}", 400, id="nested 100,000 deep"
        ),
        pytest.param(lambda a: json.dumps(a)[:-1] + ', "x": ' + "9" * 5000 + "}", 400, id="an integer of 5,000 digits"),
        pytest.param(lambda a: b"\xff\xfe not utf-8", 400, id="not UTF-8"),
        pytest.param(lambda a: "[1, 2]", 400, id="not an object"),
        pytest.param(lambda a: "", 400, id="empty"),
    ],
)
async def test_bodies_the_bot_cannot_read_are_400(harness, caplog, build, status):
    response = await post_raw(harness, build(harness.activities.message(BOB, "help")))
    assert response.status == status
    assert "detail" in await response.json()
    assert failures(caplog) == []


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
async def test_a_content_encoding_is_refused_with_415(harness, caplog, encoding):
    activity = json.dumps(harness.activities.message(BOB, "help")).encode()
    for body in (activity, gzip.compress(activity)):
        response = await post_raw(harness, body, {"Content-Encoding": encoding})
        assert response.status == 415
    assert failures(caplog) == []
    assert harness.connector.sent == []


@pytest.mark.parametrize(
    "service_url",
    [
        "http://0.0.0.0:{port}\\@127.0.0.1:{port}/",
        "http://attacker.example@127.0.0.1:{port}/",
        "http://127.0.0.1:{port} @evil.example/",
        "http://127.0.0.1:notaport/",
        "ftp://127.0.0.1:{port}/",
        "http:///no-host",
    ],
)
async def test_anonymous_mode_posts_only_to_a_loopback_host_a_real_url_parser_agrees_on(harness, caplog, service_url):
    activity = harness.activities.message(BOB, "help")
    port = activity["serviceUrl"].split(":")[2].split("/")[0]
    activity["serviceUrl"] = service_url.format(port=port)
    response = await harness.post(activity)
    assert response.status == 400
    assert harness.connector.sent == []
    assert failures(caplog) == []


def with_changes(activity: dict, **changes) -> dict:
    activity.update(changes)
    return activity


MESSAGE_CASES = {
    "a mention without mentioned": lambda a: with_changes(a, entities=[{"type": "mention", "text": "<at>x</at>"}]),
    "a mention without mentioned.id": lambda a: with_changes(a, entities=[{"type": "mention", "mentioned": {}}]),
    "entities that are not objects": lambda a: with_changes(a, entities=[None, 3, "x"]),
    "channelData.team not an object": lambda a: with_changes(a, channelData={**a["channelData"], "team": "abc"}),
    "channelData.team without an id": lambda a: with_changes(
        a, channelData={**a["channelData"], "team": {"name": "x"}}
    ),
    "channelData not an object": lambda a: with_changes(a, channelData=[1]),
    "a lone surrogate in the text": lambda a: with_changes(a, text="help \udfff"),
    "a lone surrogate in the name": lambda a: with_changes(a, **{"from": {**a["from"], "name": "Bob \udfff"}}),
    "a NUL in the name and the text": lambda a: with_changes(
        a, text="help\u0000", **{"from": {**a["from"], "name": "Bob\u0000"}}
    ),
    "a name of 10,000 characters": lambda a: with_changes(a, **{"from": {**a["from"], "name": "B" * 10_000}}),
    "a locale of 200 characters": lambda a: with_changes(a, locale="x" * 200),
    "an aadObjectId of 200 characters": lambda a: with_changes(a, **{"from": {**a["from"], "aadObjectId": "a" * 200}}),
}


@pytest.mark.parametrize("change", MESSAGE_CASES.values(), ids=MESSAGE_CASES.keys())
async def test_odd_fields_are_dropped_and_the_turn_answers(harness, caplog, change):
    activity = change(harness.activities.message(BOB, "help"))
    response = await post_raw(harness, json.dumps(activity))
    assert response.status == 200
    assert failures(caplog) == []
    [reply] = harness.connector.sent
    assert reply.cards, "the help card, not an apology"


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda a: {k: v for k, v in a.items() if k != "channelId"}, id="no channelId"),
        pytest.param(lambda a: with_changes(a, channelId=7), id="a channelId that is a number"),
        pytest.param(lambda a: with_changes(a, **{"from": {"id": "29:" + "x" * 300}}), id="a user id of 300"),
        pytest.param(
            lambda a: with_changes(a, conversation={**a["conversation"], "tenantId": "t" * 65}), id="a tenant id of 65"
        ),
        pytest.param(lambda a: with_changes(a, conversation={"id": "c" * 600}), id="a conversation id of 600"),
        pytest.param(
            lambda a: with_changes(a, conversation={"id": "."}), id="a conversation id that is a path segment"
        ),
        pytest.param(lambda a: with_changes(a, conversation={"id": "a/../b"}), id="a conversation id with a slash"),
        pytest.param(lambda a: with_changes(a, id="i" * 300), id="an activity id of 300"),
        pytest.param(lambda a: with_changes(a, **{"from": "bob"}), id="from not an object"),
    ],
)
async def test_ids_the_bot_could_not_store_are_refused_with_400(harness, caplog, change):
    response = await post_raw(harness, json.dumps(change(harness.activities.message(BOB, "help"))))
    assert response.status == 400
    assert failures(caplog) == []
    assert harness.connector.sent == []


async def test_members_added_with_null_entries_is_ignored(harness, caplog):
    activity = harness.activities.message(BOB, "")
    activity.update(type="conversationUpdate", membersAdded=[None, 5, {"name": "no id"}])
    activity.pop("text")
    response = await post_raw(harness, json.dumps(activity))
    assert response.status == 200
    assert failures(caplog) == []


async def test_a_card_naming_a_record_id_beyond_the_database_changes_nothing(harness, caplog):
    activity = harness.activities.message(BOB, "")
    activity.update(
        type="invoke",
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": "story.applaud", "data": {"story_id": 2**64}}},
    )
    response = await post_raw(harness, json.dumps(activity))
    assert response.status == 200
    assert (await response.json())["type"] == "application/vnd.microsoft.activity.message"
    assert failures(caplog) == []


@pytest.mark.parametrize("name", ["fileConsent/invoke", "composeExtension/query", "task/fetch"])
async def test_an_invoke_without_a_value_is_400(harness, caplog, name):
    activity = harness.activities.message(BOB, "")
    activity.update(type="invoke", name=name)
    response = await post_raw(harness, json.dumps(activity))
    assert response.status == 400
    assert failures(caplog) == []


@pytest.mark.parametrize("name", ["ContinueConversation", "CreateConversation"])
async def test_no_request_can_pass_for_the_bots_own_proactive_turn(harness, caplog, name):
    activity = harness.activities.message(BOB, "")
    activity.update(type="event", name=name)
    activity["channelData"] = {"tenant": {"id": "99999999-0000-0000-0000-000000000000"}}
    activity["conversation"]["tenantId"] = "99999999-0000-0000-0000-000000000000"
    response = await post_raw(harness, json.dumps(activity))
    assert response.status == 400
    assert harness.connector.sent == []


async def test_the_tenant_is_read_from_conversation_tenant_id_alone(harness, caplog):
    activity = harness.activities.message(BOB, "help")
    activity["channelData"] = {}
    response = await post_raw(harness, json.dumps(activity))
    assert response.status == 200
    [reply] = harness.connector.sent
    assert reply.cards, "served: the tenant in conversation.tenantId is on the allow-list"
    other = harness.activities.message(BOB, "help")
    other["channelData"] = {}
    other["conversation"]["tenantId"] = "99999999-0000-0000-0000-000000000000"
    harness.connector.clear()
    await post_raw(harness, json.dumps(other))
    [refusal] = harness.connector.sent
    assert not refusal.cards
