"""`to_wire` sends exactly what msrest's serialiser sends, for any activity the app can build;
`from_wire` reads exactly what msrest's deserialiser reads, for any JSON object."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta, timezone

from botbuilder.core import TurnContext, turn_context
from botbuilder.schema import (
    ActionTypes,
    Activity,
    ActivityTypes,
    Attachment,
    CardAction,
    ChannelAccount,
    ConversationAccount,
    ConversationReference,
    Entity,
    Mention,
    SuggestedActions,
)
from botbuilder.schema.teams import TeamsChannelAccount
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import sdk_patches
from bot.sdk_patches import copy_for_sending
from bot.wire import from_wire, msrest_serializer, to_wire
from dialogs.cards import JsonCard
from tests.support.activities import BOB, ActivityFactory

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)
json_objects = st.dictionaries(st.text(max_size=6), json_values, max_size=4)
short = st.text(max_size=12)
maybe = st.none().__or__

accounts = st.builds(ChannelAccount, id=maybe(short), name=maybe(short), aad_object_id=maybe(short)) | st.builds(
    TeamsChannelAccount, id=maybe(short), name=maybe(short), email=maybe(short), user_principal_name=maybe(short)
)
conversations = st.builds(
    ConversationAccount,
    id=maybe(short),
    conversation_type=maybe(st.sampled_from(["personal", "channel", "groupChat"])),
    tenant_id=maybe(short),
    is_group=maybe(st.booleans()),
)
attachments = st.builds(
    Attachment,
    content_type=maybe(st.sampled_from(["application/vnd.microsoft.card.adaptive", "text/plain"])),
    content=maybe(json_objects.map(JsonCard) | json_objects),
    name=maybe(short),
)
entities = st.builds(Entity, type=maybe(short)) | st.builds(Mention, mentioned=maybe(accounts), text=maybe(short))
moments = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=7))]),
)
actions = st.builds(
    SuggestedActions,
    to=maybe(st.lists(short, max_size=2)),
    actions=maybe(
        st.lists(
            st.builds(
                CardAction, type=st.sampled_from(list(ActionTypes)), title=maybe(short), value=maybe(json_values)
            ),
            max_size=3,
        )
    ),
)

activities = st.builds(
    Activity,
    type=maybe(st.sampled_from(list(ActivityTypes)) | short),
    id=maybe(short),
    timestamp=maybe(moments),
    service_url=maybe(short),
    channel_id=maybe(short),
    from_property=maybe(accounts),
    conversation=maybe(conversations),
    recipient=maybe(accounts),
    text=maybe(st.text(max_size=40)),
    locale=maybe(short),
    attachments=maybe(st.lists(attachments, max_size=3)),
    entities=maybe(st.lists(entities, max_size=2)),
    channel_data=maybe(json_objects),
    reply_to_id=maybe(short),
    value=maybe(json_values),
    suggested_actions=maybe(actions),
    summary=maybe(short),
    input_hint=maybe(st.sampled_from(["acceptingInput", "ignoringInput"])),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(activities)
def test_an_activity_goes_out_as_msrest_would_send_it(activity):
    assert to_wire(activity) == msrest_serializer().body(activity, "Activity")


references = st.builds(
    ConversationReference,
    activity_id=maybe(short),
    user=maybe(accounts),
    bot=maybe(accounts),
    conversation=maybe(conversations),
    channel_id=maybe(short),
    locale=maybe(short),
    service_url=maybe(short),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(activities, references)
def test_sending_leaves_the_callers_activity_as_it_was_and_sends_what_a_deep_copy_would(activity, reference):
    """`sdk_patches`: TurnContext copies an outgoing activity with `copy_for_sending`, not deepcopy."""
    before = to_wire(activity)
    sent = TurnContext.apply_conversation_reference(copy_for_sending(activity), reference)
    sent.id, sent.input_hint = None, sent.input_hint or "acceptingInput"  # as send_activities does
    expected = TurnContext.apply_conversation_reference(copy.deepcopy(activity), reference)
    expected.id, expected.input_hint = None, expected.input_hint or "acceptingInput"
    assert to_wire(sent) == to_wire(expected)
    assert to_wire(activity) == before


def test_turn_context_sends_copies_made_for_sending():
    sdk_patches.apply()
    assert turn_context.deepcopy is copy_for_sending


@given(references)
def test_a_conversation_reference_is_kept_as_the_sdk_serialises_it(reference):
    assert to_wire(reference) == reference.serialize()


def test_a_card_goes_out_as_built():
    card = JsonCard({"type": "AdaptiveCard", "body": [{"type": "TextBlock", "text": "Hi"}]})
    wired = to_wire(Activity(type="message", attachments=[Attachment(content_type="x", content=card)]))
    assert wired["attachments"][0]["content"] is card


ACTIVITY_KEYS = [info["key"] for info in Activity._attribute_map.values() if info["key"]]


def msrest_reads(payload):
    try:
        return Activity().deserialize(payload)
    except Exception as error:
        return type(error)


def we_read(payload):
    try:
        return from_wire(payload)
    except Exception as error:
        return type(error)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(activities, json_objects, st.dictionaries(st.sampled_from(ACTIVITY_KEYS), json_values, max_size=3))
def test_an_activity_comes_in_as_msrest_would_read_it(activity, unknown, odd):
    """Any activity's JSON, with keys the schema lacks, and with known keys holding anything."""
    payload = {**unknown, **to_wire(activity)}
    assert we_read(payload) == msrest_reads(payload)
    broken = {**payload, **odd}
    assert we_read(broken) == msrest_reads(broken)


def test_a_teams_message_comes_in_as_msrest_would_read_it():
    payload = ActivityFactory("https://smba.trafficmanager.net/emea/").message(
        BOB, "who is my champion", localTimezone="Europe/Rome"
    )
    read = from_wire(payload)
    assert read == Activity().deserialize(payload)
    assert (read.from_property.id, read.text, read.local_timezone) == (
        BOB.teams_user_id,
        "who is my champion",
        "Europe/Rome",
    )
